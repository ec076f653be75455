import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, secret, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import type { StreamPrelude } from "../../functions/front-doors/lambda/create-stream-handler.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";
import { PNG, SET_COOKIES, startLoopbackUpstream, type SeenRequest } from "./support/loopback-upstream.ts";
import { node24Binary } from "./support/node-binaries.ts";

const run = promisify(execFile);
const FIXTURES = new URL("../fixtures/apigw-v2/", import.meta.url);
const RUNNER = new URL("../../functions/front-doors/lambda/invoke-locally.mjs", import.meta.url).pathname;
const ECHO_KEY = "echo-key-value-7f3a91";
const STREAM_URL = "https://stream-door.lambda-url.us-east-1.on.aws";

let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: Awaited<ReturnType<typeof startLoopbackUpstream>>;
let gateway: Gateway;
let dir: string;
let token: string;
let env: Record<string, string>;
const fixtures: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  [dynalite, kms, upstream] = await Promise.all([startTestDynalite({ prefix: "lambda" }), startFakeKmsServer(), startLoopbackUpstream()]);
  const endpoint = {
    methods: ["GET", "POST"] satisfies Method[],
    headers: { forward: ["content-type", "accept", "x-multi"], inject: { "x-api-key": secret("ECHO_KEY") }, allowSetCookie: true },
    unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
    auditQueryValues: ["tag"],
  };
  gateway = defineGateway({
    name: "lambda-fixture",
    endpoints: {
      echo: { ...endpoint, upstream: `${upstream.origin}/base`, timeoutSeconds: 10 },
      slow: { ...endpoint, upstream: `${upstream.origin}/slow`, timeoutSeconds: 120 },
    },
  });
  dir = await mkdtemp(join(tmpdir(), "gatehouse-lambda-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway, { ECHO_KEY: kms.encrypt(ECHO_KEY, { gateway: gateway.id, purpose: "secret", name: "ECHO_KEY" }) });
  token = (
    await issueToken(new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens }), {
      gatewayId: gateway.id,
      label: "billing-svc",
      endpoints: null,
      now: Date.now(),
    })
  ).token;
  for (const file of (await readdir(FIXTURES)).filter((f) => f.endsWith(".json"))) {
    fixtures[file.replace(/\.json$/, "")] = JSON.parse((await readFile(new URL(file, FIXTURES), "utf8")).replaceAll("{{TOKEN}}", token));
  }
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_AUDIT_RETENTION_DAYS: "7", GATEHOUSE_STREAM_URL: STREAM_URL });
}, 30_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

interface Invocation<R> {
  node: string;
  results: Array<{ result: R }>;
}

async function invoke<R>(node: string, handler: "handler" | "streamHandler", names: string[], door: "api" | "stream"): Promise<{ node: string; results: R[] }> {
  const requestFile = join(dir, `request-${handler}.json`);
  const resultFile = join(dir, `result-${handler}.json`);
  await writeFile(requestFile, JSON.stringify({ handler, events: names.map((n) => fixtures[n]) }));
  await run(node, [RUNNER, join(dir, "bundle"), requestFile, resultFile], { env: { ...env, GATEHOUSE_FRONT_DOOR: door }, timeout: 20_000 });
  const out = JSON.parse(await readFile(resultFile, "utf8")) as Invocation<R>;
  return { node: out.node, results: out.results.map((r) => r.result) };
}

const API_EVENTS = [
  "get-query-cookies-repeated-headers",
  "post-base64-binary-body",
  "post-json-text-body",
  "post-form-base64-body",
  "get-binary-response",
  "get-without-token",
  "get-long-endpoint",
];

describe.each([["Node 24", node24Binary(), /^v24\./]])("the bundled handler under %s", (_label, node, expectedVersion) => {
  let results: ApiGatewayV2Result[];
  let seen: SeenRequest[];
  let streamed: Array<{ prelude: StreamPrelude; body: string }>;
  let streamSeen: SeenRequest[];
  let versions: string[];

  beforeAll(async () => {
    upstream.seen.length = 0;
    const api = await invoke<ApiGatewayV2Result>(node, "handler", API_EVENTS, "api");
    results = api.results;
    seen = [...upstream.seen];
    upstream.seen.length = 0;
    const stream = await invoke<{ prelude: StreamPrelude; body: string }>(node, "streamHandler", ["get-long-endpoint", "get-binary-response"], "stream");
    streamed = stream.results;
    streamSeen = [...upstream.seen];
    versions = [api.node, stream.node];
  }, 40_000);

  const result = (name: string) => results[API_EVENTS.indexOf(name)]!;

  it("ran in a child process of that Node version", () => {
    for (const v of versions) expect(v).toMatch(expectedVersion);
  });

  it("re-encodes the path API Gateway decoded (the client's caf%C3%A9%20x) and keeps rawQueryString byte for byte (UTF-8, repeated and empty parameters, + and %20)", () => {
    expect(result("get-query-cookies-repeated-headers").statusCode).toBe(200);
    expect(seen[0]!.url).toBe("/base/items/caf%C3%A9%20x?q=caf%C3%A9&tag=x&tag=y&empty=&sp=a+b%20c");
  });

  it("forwards comma-joined repeated headers as they came, injects the KMS-decrypted secret, drops client credentials", () => {
    const headers = seen[0]!.headers;
    expect(headers["x-multi"]).toBe("one,two");
    expect(headers["x-api-key"]).toBe(ECHO_KEY);
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers["x-forwarded-for"]).toBeUndefined();
  });

  it("returns Set-Cookie in `cookies` (one entry each, dates intact) and joins other repeated headers with commas", () => {
    const r = result("get-query-cookies-repeated-headers");
    expect(r.cookies).toEqual(SET_COOKIES);
    expect(Object.keys(r.headers)).not.toContain("set-cookie");
    expect(r.headers["x-upstream-multi"]).toBe("first, second");
    expect(r.headers["content-length"]).toBeUndefined();
    expect(r.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
    expect(r.isBase64Encoded).toBe(false);
    expect(JSON.parse(r.body)).toMatchObject({ method: "GET", bytes: 0 });
  });

  it("decodes base64 request bodies to the exact bytes (binary and form) and passes text bodies as UTF-8", () => {
    expect([...seen[1]!.body]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(seen[1]!.headers["content-length"]).toBe("256");
    expect(seen[2]!.body.toString("utf8")).toBe('{"amount":4200,"note":"café ✓"}');
    expect(seen[2]!.headers["content-length"]).toBe("34");
    expect(seen[3]!.body.toString("utf8")).toBe("a=1&b=%2Fx&c=%E2%9C%93");
  });

  it("returns binary responses base64-encoded with isBase64Encoded", () => {
    const r = result("get-binary-response");
    expect(r.statusCode).toBe(200);
    expect(r.isBase64Encoded).toBe(true);
    expect(Buffer.from(r.body, "base64").equals(PNG)).toBe(true);
    expect(r.headers["content-type"]).toBe("image/png");
  });

  it("answers a request without a token 401 problem+json with the Bearer challenge, forwarding nothing", () => {
    const r = result("get-without-token");
    expect(r.statusCode).toBe(401);
    expect(r.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(r.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(r.body).code).toBe("TOKEN_INVALID");
    expect(seen).toHaveLength(5); // 7 events: the 401 and the 421 reached no upstream
  });

  it("on the API door, answers an endpoint above 29 s 421 with its streaming URL", () => {
    const r = result("get-long-endpoint");
    expect(r.statusCode).toBe(421);
    expect(JSON.parse(r.body)).toMatchObject({ code: "USE_STREAMING_URL" });
    expect(JSON.parse(r.body).detail).toContain(`${STREAM_URL}/api/${gateway.id}/proxy/slow/report`);
  });

  it("the streaming handler serves the long endpoint with a prelude (status, headers, cookies) and the streamed body", () => {
    const [long, png] = streamed;
    expect(long!.prelude).toMatchObject({ statusCode: 200, cookies: SET_COOKIES });
    expect(long!.prelude.headers["x-upstream-multi"]).toBe("first, second");
    expect(JSON.parse(Buffer.from(long!.body, "base64").toString("utf8"))).toMatchObject({ url: "/slow/report?format=csv" });
    expect(streamSeen[0]!.url).toBe("/slow/report?format=csv");
    expect(Buffer.from(png!.body, "base64").equals(PNG)).toBe(true);
  });

  it("the audit record of every engine-handled request is in DynamoDB when the handler returns, with the client IP and token", async () => {
    const records = await new DynamoAuditSink({ client: dynalite.client, tableName: dynalite.tables.audit }).query({ gatewayId: gateway.id });
    const ours = records.filter((r) => r.time >= Date.now() - 60_000);
    // Per runtime: 6 API-door requests (the 421 is answered before the engine) + 2 streamed.
    const byDecision = ours.map((r) => r.decision);
    expect(byDecision.filter((d) => d === "TOKEN_INVALID").length).toBeGreaterThanOrEqual(1);
    const upload = ours.find((r) => r.path.endsWith("/proxy/echo/upload"));
    expect(upload).toMatchObject({ status: 200, clientAddress: "203.0.113.7", bytesIn: 256, tokenLabel: "billing-svc", revision: gateway.revision });
    expect(ours.find((r) => r.path.includes("/proxy/echo/items/caf%C3%A9%20x"))?.path).toContain("tag=x&tag=y");
  });
});
