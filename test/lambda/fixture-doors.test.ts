import { mkdtemp, readFile, rm } from "node:fs/promises";
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
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";
import { startLoopbackUpstream, type SeenRequest } from "./support/loopback-upstream.ts";
import { node24Binary } from "./support/node-binaries.ts";
import { expectStreamedAnswer, invokeBundle, type StreamedAnswer } from "./support/run-bundle.ts";
import { startStatusUpstream } from "./support/status-upstream.ts";

// The fixtures of test/fixtures/apigw-v2/ (`api-*.json`: API Gateway HTTP API) and
// test/fixtures/apigw-v2/function-url/ (Function URLs), written in the documented payload 2.0
// shapes (see the README there), through the built bundle under Node 24: the API door's buffered
// handler and the Function URL door's streaming handler, with dynalite, the KMS stand-in and
// loopback upstreams. Every refusal and every empty-bodied answer, on both doors.

const FIXTURES = new URL("../fixtures/apigw-v2/", import.meta.url);
let dynalite: TestDynalite;
let kms: FakeKmsServer;
let echo: Awaited<ReturnType<typeof startLoopbackUpstream>>;
let status: Awaited<ReturnType<typeof startStatusUpstream>>;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
const node = node24Binary();

/** What a fixture must produce on its door: status, the problem code of a refusal, an empty body. */
interface Expected {
  status: number;
  code?: string;
  empty?: boolean;
}
const SHARED: Record<string, Expected> = {
  "get-mixed-case-repeated-cookies": { status: 200 },
  "post-base64-null-body": { status: 200 },
  "post-base64-binary-body": { status: 200 },
  "get-without-token": { status: 401, code: "TOKEN_INVALID" },
  "get-unknown-endpoint": { status: 404, code: "ROUTE_NOT_FOUND" },
  "delete-not-allowed": { status: 405, code: "METHOD_NOT_ALLOWED" },
  "post-too-large": { status: 413, code: "BODY_TOO_LARGE" },
  "get-limited-first": { status: 200 },
  "get-limited-second": { status: 429, code: "RATE_LIMITED" },
  "get-status-204": { status: 204, empty: true },
  "get-status-304": { status: 304, empty: true },
  "get-status-302": { status: 302, empty: true },
  "head-request": { status: 200, empty: true },
};
const API: Record<string, Expected> = { ...SHARED, "get-named-stage": { status: 200 }, "get-encoding-lost": { status: 400, code: "PATH_ENCODING_LOST" } };
const URLS: Record<string, Expected> = { ...SHARED, "get-encoded-slash": { status: 200 } };

async function load(path: string, token: string): Promise<Record<string, unknown>> {
  return JSON.parse((await readFile(new URL(path, FIXTURES), "utf8")).replaceAll("{{TOKEN}}", token)) as Record<string, unknown>;
}

async function tokenFor(label: string): Promise<string> {
  const store = new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens });
  return (await issueToken(store, { gatewayId: gateway.id, label, endpoints: null, now: Date.now() })).token;
}

beforeAll(async () => {
  [dynalite, kms, echo, status] = await Promise.all([
    startTestDynalite({ prefix: "fixture-doors" }),
    startFakeKmsServer(),
    startLoopbackUpstream(),
    startStatusUpstream(),
  ]);
  const base = { unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { allowSetCookie: true } };
  gateway = defineGateway({
    name: "fixture-doors",
    endpoints: {
      echo: {
        ...base,
        upstream: `${echo.origin}/e`,
        methods: ["GET", "POST"] satisfies Method[],
        maxRequestBytes: 64,
        headers: { ...base.headers, forward: ["accept", "content-type", "x-multi", "user-agent"] },
      },
      limited: { ...base, upstream: `${echo.origin}/l`, methods: ["GET"] satisfies Method[], rateLimit: { perMinute: 1 } },
      status: { ...base, upstream: status.origin, methods: ["GET", "HEAD"] satisfies Method[] },
    },
  });
  // The fixtures name this gateway's id in their paths.
  expect(gateway.id).toBe("0263ca44-10d7-5bff-9b46-07b870fb0dc2");
  dir = await mkdtemp(join(tmpdir(), "gatehouse-fixture-doors-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway);
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_AUDIT_RETENTION_DAYS: "7" });
}, 60_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), echo?.stop(), status?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

describe("API Gateway HTTP API fixtures through the buffered handler", () => {
  const names = Object.keys(API);
  let results: ApiGatewayV2Result[];
  let seen: SeenRequest[];
  let statusSeen: string[];

  beforeAll(async () => {
    const token = await tokenFor("api-door");
    const events = await Promise.all(names.map((n) => load(`api-${n}.json`, token)));
    echo.seen.length = 0;
    status.seen.length = 0;
    results = (await invokeBundle<ApiGatewayV2Result>(node, join(dir, "bundle"), "handler", events, { ...env, GATEHOUSE_FRONT_DOOR: "api" })).results;
    seen = [...echo.seen];
    statusSeen = [...status.seen];
  }, 60_000);

  it.each(names.map((n, i) => [n, i] as const))("%s", (name, i) => {
    const expected = API[name]!;
    const result = results[i]!;
    expect(result.statusCode).toBe(expected.status);
    expect(result.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
    if (expected.code) {
      expect(result.headers["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(result.body)).toMatchObject({ status: expected.status, code: expected.code });
    }
    if (expected.empty) expect(result.body).toBe("");
  });

  it("mixed-case names, comma-joined repeats and the cookies array: the upstream gets the re-encoded path, the raw query, x-multi as joined, no Cookie", () => {
    const request = seen.find((s) => s.url.startsWith("/e/items/"))!;
    expect(request.url).toBe("/e/items/caf%C3%A9%20x?tag=x&tag=y&q=a+b");
    expect(request.headers["x-multi"]).toBe("one,two");
    expect(request.headers.accept).toBe("application/json");
    expect(request.headers["user-agent"]).toBe("okhttp/4.12.0");
    expect(request.headers.cookie).toBeUndefined();
    expect(results[names.indexOf("get-mixed-case-repeated-cookies")]!.cookies).toHaveLength(2);
  });

  it("isBase64Encoded with a null body is an empty POST; a base64 body arrives as its bytes", () => {
    const posts = seen.filter((s) => s.url === "/e/upload");
    expect(posts.map((p) => p.body.toString("hex"))).toEqual(["", "000102fdfeff"]);
    expect(posts[0]!.headers["content-length"]).toBe("0");
  });

  it("a named stage's prefix is not part of the forwarded path", () => {
    expect(seen.map((s) => s.url)).toContain("/e/staged");
  });

  it("empty-bodied answers keep their headers and cookies; refusals reached no upstream", () => {
    const at = (n: string) => results[names.indexOf(n)]!;
    expect(at("get-status-302").headers.location).toBe("https://example.test/moved?to=here");
    expect(at("get-status-304").headers.etag).toBe('"v1"');
    for (const n of ["get-status-204", "get-status-304", "get-status-302"]) expect(at(n).cookies).toEqual(["seen=1; Path=/"]);
    expect(statusSeen).toEqual(["GET /status/204", "GET /status/304", "GET /status/302", "HEAD /thing"]);
    expect(seen.map((s) => s.url).filter((u) => u.startsWith("/e/x") || u.startsWith("/l/two"))).toEqual([]);
  });
});

describe("Function URL fixtures through the streaming handler", () => {
  const names = Object.keys(URLS);
  let answers: StreamedAnswer[];
  let seen: SeenRequest[];
  let statusSeen: string[];

  beforeAll(async () => {
    const token = await tokenFor("function-url-door");
    const events = await Promise.all(names.map((n) => load(`function-url/${n}.json`, token)));
    echo.seen.length = 0;
    status.seen.length = 0;
    answers = (await invokeBundle<StreamedAnswer>(node, join(dir, "bundle"), "streamHandler", events, { ...env, GATEHOUSE_FRONT_DOOR: "stream" })).results;
    seen = [...echo.seen];
    statusSeen = [...status.seen];
  }, 60_000);

  it.each(names.map((n, i) => [n, i] as const))("%s", (name, i) => {
    const expected = URLS[name]!;
    expectStreamedAnswer(answers[i]!, expected.status, expected.code ?? null);
    if (expected.empty) expect(answers[i]!.body).toBe("");
  });

  it("the path reaches the upstream as the client encoded it, %2F included; headers as on the API door", () => {
    expect(seen.map((s) => s.url)).toContain("/e/projects/group%2Fproject");
    const request = seen.find((s) => s.url.startsWith("/e/items/"))!;
    expect(request.url).toBe("/e/items/caf%C3%A9%20x?tag=x&tag=y&q=a+b");
    expect(request.headers["x-multi"]).toBe("one,two");
    expect(request.headers.cookie).toBeUndefined();
  });

  it("isBase64Encoded with a null body is an empty POST; a base64 body arrives as its bytes", () => {
    expect(seen.filter((s) => s.url === "/e/upload").map((p) => p.body.toString("hex"))).toEqual(["", "000102fdfeff"]);
  });

  it("empty-bodied answers keep their headers and cookies in the prelude", () => {
    const at = (n: string) => answers[names.indexOf(n)]!;
    expect(at("get-status-302").prelude.headers.location).toBe("https://example.test/moved?to=here");
    expect(at("get-status-304").prelude.headers.etag).toBe('"v1"');
    for (const n of ["get-status-204", "get-status-304", "get-status-302"]) expect(at(n).prelude.cookies).toEqual(["seen=1; Path=/"]);
    expect(statusSeen).toEqual(["GET /status/204", "GET /status/304", "GET /status/302", "HEAD /thing"]);
  });
});
