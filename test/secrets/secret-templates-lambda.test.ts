import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, defineGateway, secret, type Method } from "../../schema/index.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import type { UpstreamStub } from "../helpers/upstream-stub.ts";
import { startBundleFixture, type BundleFixture } from "../lambda/support/bundle-fixture.ts";
import { apiGatewayEvent, functionUrlEvent } from "../lambda/support/payload-v2-events.ts";
import { streamedText, type StreamedAnswer } from "../lambda/support/run-bundle.ts";
import { startEchoAuthorization } from "./echo-authorization.ts";

// Issue 19 item 6 on both Lambda doors of the built bundle: the secrets come from secrets.json
// (KMS ciphertexts, as `pulumi up` writes them), the header is built at request time.

const KEY = "sk_live_51Hk2lambda9fQ";
const USER = "svc-user";
const PASS = "pa55-w0rd-lambda";
const BASIC = Buffer.from(`${USER}:${PASS}`, "utf8").toString("base64");
const stars = (s: string) => "*".repeat(s.length);

let upstream: UpstreamStub;
let bundle: BundleFixture;
let api: ApiGatewayV2Result[];
let stream: StreamedAnswer[];
let seen: string[];

beforeAll(async () => {
  upstream = await startEchoAuthorization();
  const common = { methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  const gateway = defineGateway({
    name: "templates-lambda",
    endpoints: {
      bearer: { ...common, upstream: `${upstream.url}/b`, headers: { inject: { authorization: secret("KEY", { prefix: "Bearer " }) } } },
      basic: { ...common, upstream: `${upstream.url}/u`, headers: { inject: { authorization: basicAuth(secret("USER"), secret("PASS")) } } },
    },
  });
  bundle = await startBundleFixture("templates", gateway, { KEY, USER, PASS });
  const token = await bundle.token();
  const events = ["bearer", "basic"].map((slug) => ({ path: `/api/${gateway.id}/proxy/${slug}/x`, headers: { authorization: `Bearer ${token}` } }));
  api = await bundle.api(events.map((e) => apiGatewayEvent(e)));
  stream = await bundle.stream(events.map((e) => functionUrlEvent(e)));
  seen = upstream.seen.map((s) => String(s.headers.authorization));
}, 90_000);

afterAll(async () => {
  await Promise.all([bundle?.stop(), upstream?.close()]);
});

describe("secret templates on both Lambda doors", () => {
  it("the upstream receives `Bearer <key>` and `Basic base64(user:pass)` through both doors", () => {
    expect(seen).toEqual([`Bearer ${KEY}`, `Basic ${BASIC}`, `Bearer ${KEY}`, `Basic ${BASIC}`]);
  });

  it("the API door's answers mask the reflected values in body and headers", () => {
    expect(api.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(JSON.parse(api[0]!.body).authorization).toBe(`Bearer ${stars(KEY)}`);
    expect(JSON.parse(api[1]!.body).authorization).toBe(`Basic ${stars(BASIC)}`);
    expect(api[1]!.headers["x-echo-authorization"]).toBe(`Basic ${stars(BASIC)}`);
  });

  it("the stream door's answers mask them too", () => {
    expect(stream.map((a) => a.prelude.statusCode)).toEqual([200, 200]);
    expect(JSON.parse(streamedText(stream[0]!)).authorization).toBe(`Bearer ${stars(KEY)}`);
    expect(JSON.parse(streamedText(stream[1]!)).authorization).toBe(`Basic ${stars(BASIC)}`);
  });
});
