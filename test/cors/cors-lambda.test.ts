import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";
import { startFakeKmsServer, type FakeKmsServer } from "../lambda/support/fake-kms-server.ts";
import { lambdaEnvironment } from "../lambda/support/lambda-environment.ts";
import { node24Binary } from "../lambda/support/node-binaries.ts";
import { apiGatewayEvent, functionUrlEvent } from "../lambda/support/payload-v2-events.ts";
import { invokeBundle, type StreamedAnswer } from "../lambda/support/run-bundle.ts";

// The same CORS answers from the built Lambda bundle as from the Node door: the engine decides.

const APP = "https://app.acme.example";
let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: UpstreamStub;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
let token: string;

beforeAll(async () => {
  [dynalite, kms] = await Promise.all([startTestDynalite({ prefix: "cors" }), startFakeKmsServer()]);
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
  dir = await mkdtemp(join(tmpdir(), "gatehouse-cors-lambda-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway);
  token = (
    await issueToken(new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens }), {
      gatewayId: gateway.id,
      label: "spa",
      endpoints: null,
      now: Date.now(),
    })
  ).token;
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_STREAM_URL: "https://f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo.lambda-url.us-east-1.on.aws" });
}, 60_000);
afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.close(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

describe("CORS through both Lambda doors", () => {
  const path = () => `/api/${gateway.id}/proxy/api/x`;
  const events = () => [
    { method: "OPTIONS", path: path(), headers: { origin: APP, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } },
    { method: "OPTIONS", path: path(), headers: { origin: "https://evil.example", "access-control-request-method": "GET" } },
    { path: path(), headers: { origin: APP, authorization: `Bearer ${token}` } },
  ];

  it("the API door: 204 preflight for the allowed origin, 401 without CORS for another, CORS on the actual answer, the upstream's stripped", async () => {
    const { results } = await invokeBundle<ApiGatewayV2Result>(
      node24Binary(),
      join(dir, "bundle"),
      "handler",
      events().map((e) => apiGatewayEvent(e)),
      {
        ...env,
        GATEHOUSE_FRONT_DOOR: "api",
      },
    );
    expect(results.map((r) => r.statusCode)).toEqual([204, 401, 200]);
    expect(results[0]!.headers).toMatchObject({
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "GET",
      "access-control-allow-headers":
        "accept, accept-encoding, accept-language, authorization, content-encoding, content-type, if-match, if-modified-since, if-none-match, if-unmodified-since, range, user-agent",
    });
    expect(Object.keys(results[1]!.headers).filter((n) => n.startsWith("access-control-"))).toEqual([]);
    expect(results[2]!.headers["access-control-allow-origin"]).toBe(APP);
    expect(results[2]!.headers.vary).toBe("Origin");
  }, 60_000);

  it("the Function URL door answers the same", async () => {
    const { results } = await invokeBundle<StreamedAnswer>(
      node24Binary(),
      join(dir, "bundle"),
      "streamHandler",
      events().map((e) => functionUrlEvent(e)),
      {
        ...env,
        GATEHOUSE_FRONT_DOOR: "stream",
      },
    );
    expect(results.map((r) => r.prelude.statusCode)).toEqual([204, 401, 200]);
    expect(results[0]!.prelude.headers["access-control-allow-origin"]).toBe(APP);
    expect(results[2]!.prelude.headers["access-control-allow-origin"]).toBe(APP);
    expect(Object.keys(results[1]!.prelude.headers).filter((n) => n.startsWith("access-control-"))).toEqual([]);
  }, 60_000);
});
