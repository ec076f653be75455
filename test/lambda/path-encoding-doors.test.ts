import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";
import { startLoopbackUpstream } from "./support/loopback-upstream.ts";
import { node24Binary } from "./support/node-binaries.ts";
import { apiGatewayEvent, functionUrlEvent } from "./support/payload-v2-events.ts";
import { invokeBundle, type StreamedAnswer } from "./support/run-bundle.ts";

// The same client paths through both doors of the built bundle: the Function URL hands rawPath
// over as the client encoded it, API Gateway HTTP APIs decode it first (see
// restore-path-encoding.ts for the evidence). The upstream must receive the client's encoding.

const STREAM_URL = "https://f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo.lambda-url.us-east-1.on.aws";
let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: Awaited<ReturnType<typeof startLoopbackUpstream>>;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
let token: string;
const node = node24Binary();

beforeAll(async () => {
  [dynalite, kms, upstream] = await Promise.all([startTestDynalite({ prefix: "path-encoding" }), startFakeKmsServer(), startLoopbackUpstream()]);
  gateway = defineGateway({
    name: "path-encoding",
    endpoints: { echo: { upstream: `${upstream.origin}/base`, methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  dir = await mkdtemp(join(tmpdir(), "gatehouse-path-encoding-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway);
  token = (
    await issueToken(new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens }), {
      gatewayId: gateway.id,
      label: "enc",
      endpoints: null,
      now: Date.now(),
    })
  ).token;
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_STREAM_URL: STREAM_URL });
}, 60_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

// [client's encoded tail, what the upstream receives through the API door (null: 400 refused)]
const CASES: Array<[string, string | null]> = [
  ["/x%20y", "/x%20y"],
  ["/caf%C3%A9/%E2%9C%93", "/caf%C3%A9/%E2%9C%93"],
  ["/100%25", "/100%25"],
  ["/a%23b", "/a%23b"],
  ["/a%3Fadmin=true", "/a%3Fadmin=true"],
  ["/ctl%01", "/ctl%01"],
  ["/a%2541", null],
  ["/group%2Fproject", "/group/project"],
];

describe("percent-encoding on both doors", () => {
  let api: ApiGatewayV2Result[];
  let apiSeen: string[];
  let stream: StreamedAnswer[];
  let streamSeen: string[];

  beforeAll(async () => {
    const path = (tail: string) => `/api/${gateway.id}/proxy/echo${tail}`;
    const headers = { authorization: `Bearer ${token}` };
    upstream.seen.length = 0;
    api = (
      await invokeBundle<ApiGatewayV2Result>(
        node,
        join(dir, "bundle"),
        "handler",
        CASES.map(([tail]) => apiGatewayEvent({ path: path(tail), headers })),
        { ...env, GATEHOUSE_FRONT_DOOR: "api" },
      )
    ).results;
    apiSeen = upstream.seen.map((s) => s.url);
    upstream.seen.length = 0;
    stream = (
      await invokeBundle<StreamedAnswer>(
        node,
        join(dir, "bundle"),
        "streamHandler",
        CASES.map(([tail]) => functionUrlEvent({ path: path(tail), headers })),
        { ...env, GATEHOUSE_FRONT_DOOR: "stream" },
      )
    ).results;
    streamSeen = upstream.seen.map((s) => s.url);
  }, 60_000);

  it("the Function URL door forwards every path exactly as the client encoded it", () => {
    expect(stream.map((a) => a.prelude.statusCode)).toEqual(CASES.map(() => 200));
    expect(streamSeen).toEqual(CASES.map(([tail]) => `/base${tail}`));
  });

  it("the API door re-encodes what API Gateway decoded where the original is certain", () => {
    const forwarded = CASES.filter(([, expected]) => expected !== null);
    expect(apiSeen).toEqual(forwarded.map(([, expected]) => `/base${expected}`));
    CASES.forEach(([, expected], i) => expect(api[i]!.statusCode).toBe(expected === null ? 400 : 200));
  });

  it("the API door refuses an unknowable path with 400 problem+json naming the Function URL that preserves encodings", () => {
    const refused = api[CASES.findIndex(([, e]) => e === null)]!;
    expect(refused.headers["content-type"]).toBe("application/problem+json");
    const problem = JSON.parse(refused.body) as { code: string; detail: string };
    expect(problem.code).toBe("PATH_ENCODING_LOST");
    expect(problem.detail).toContain("'%41'");
    expect(problem.detail).toContain(STREAM_URL);
  });

  it("the audit stores the path that was forwarded on each door", async () => {
    const records = await new DynamoAuditSink({ client: dynalite.client, tableName: dynalite.tables.audit }).query({ gatewayId: gateway.id });
    const paths = records.map((r) => r.path);
    const prefix = `/api/${gateway.id}/proxy/echo`;
    for (const tail of ["/x%20y", "/caf%C3%A9/%E2%9C%93", "/100%25", "/a%23b", "/a%3Fadmin=true"]) {
      expect(paths.filter((p) => p === `${prefix}${tail}`)).toHaveLength(2);
    }
    expect(paths.filter((p) => p === `${prefix}/a%2541`)).toHaveLength(1); // the stream door's; the API door refused before the engine
    expect(paths).not.toContain(`${prefix}/x y`);
  });
});
