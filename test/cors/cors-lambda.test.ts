import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";
import { startBundleFixture, type BundleFixture } from "../lambda/support/bundle-fixture.ts";
import { apiGatewayEvent, functionUrlEvent, type EventInput } from "../lambda/support/payload-v2-events.ts";

// The same CORS answers from the built Lambda bundle as from the Node door: the engine decides.

const APP = "https://app.acme.example";
let upstream: UpstreamStub;
let gateway: Gateway;
let bundle: BundleFixture;
let token: string;

beforeAll(async () => {
  upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
    res.end("{}");
  });
  gateway = defineGateway({
    name: "cors-lambda",
    endpoints: {
      api: { upstream: upstream.url, methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], cors: { origins: [APP] } },
    },
  });
  bundle = await startBundleFixture("cors", gateway);
  token = await bundle.token();
}, 60_000);
afterAll(async () => {
  await Promise.all([bundle?.stop(), upstream?.close()]);
});

const corsFields = (headers: Record<string, string>) => Object.keys(headers).filter((n) => n.startsWith("access-control-"));

describe("CORS through both Lambda doors", () => {
  const events = (): EventInput[] => {
    const path = `/api/${gateway.id}/proxy/api/x`;
    return [
      { method: "OPTIONS", path, headers: { origin: APP, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } },
      { method: "OPTIONS", path, headers: { origin: "https://evil.example", "access-control-request-method": "GET" } },
      { path, headers: { origin: APP, authorization: `Bearer ${token}` } },
    ];
  };

  it("the API door: 204 preflight for the allowed origin, 401 without CORS for another, CORS on the actual answer, the upstream's stripped", async () => {
    const results = await bundle.api(events().map((e) => apiGatewayEvent(e)));
    expect(results.map((r) => r.statusCode)).toEqual([204, 401, 200]);
    expect(results[0]!.headers).toMatchObject({
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "GET",
      "access-control-allow-headers":
        "accept, accept-encoding, accept-language, authorization, content-encoding, content-type, if-match, if-modified-since, if-none-match, if-unmodified-since, range, user-agent",
    });
    expect(corsFields(results[1]!.headers)).toEqual([]);
    expect(results[2]!.headers["access-control-allow-origin"]).toBe(APP);
    expect(results[2]!.headers.vary).toBe("Origin");
  }, 60_000);

  it("the Function URL door answers the same", async () => {
    const results = await bundle.stream(events().map((e) => functionUrlEvent(e)));
    expect(results.map((r) => r.prelude.statusCode)).toEqual([204, 401, 200]);
    expect(results[0]!.prelude.headers["access-control-allow-origin"]).toBe(APP);
    expect(results[2]!.prelude.headers["access-control-allow-origin"]).toBe(APP);
    expect(corsFields(results[1]!.prelude.headers)).toEqual([]);
  }, 60_000);
});
