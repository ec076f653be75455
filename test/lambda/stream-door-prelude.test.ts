import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, secret, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";
import { node24Binary } from "./support/node-binaries.ts";
import { functionUrlEvent, type EventInput } from "./support/payload-v2-events.ts";
import { expectStreamedAnswer, invokeBundle, streamedText, type StreamedAnswer } from "./support/run-bundle.ts";
import { startStatusUpstream } from "./support/status-upstream.ts";

// Every refusal and every empty-bodied answer through the streaming door, under the stand-in of
// the runtime's response stream (`runtime-response-stream.mjs`), which loses the prelude when
// `end()` comes without a prior `write()`, as the real runtime does.

let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: Awaited<ReturnType<typeof startStatusUpstream>>;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
let token: string;
let scopedToken: string;
const node = node24Binary();

beforeAll(async () => {
  [dynalite, kms, upstream] = await Promise.all([startTestDynalite({ prefix: "stream-prelude" }), startFakeKmsServer(), startStatusUpstream()]);
  const base = { unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { allowSetCookie: true } };
  gateway = defineGateway({
    name: "stream-prelude",
    endpoints: {
      echo: { ...base, upstream: `${upstream.origin}/e`, methods: ["GET", "HEAD", "POST"] satisfies Method[], maxRequestBytes: 8, timeoutSeconds: 60 },
      limited: { ...base, upstream: `${upstream.origin}/l`, methods: ["GET"] satisfies Method[], rateLimit: { perMinute: 1 } },
      down: { ...base, upstream: "http://127.0.0.1:1/", methods: ["GET"] satisfies Method[] },
      slow: { ...base, upstream: `${upstream.origin}/slow`, methods: ["GET"] satisfies Method[], timeoutSeconds: 1 },
      locked: {
        ...base,
        upstream: `${upstream.origin}/k`,
        methods: ["GET"] satisfies Method[],
        headers: { ...base.headers, inject: { "x-key": secret("NEVER_DEPLOYED") } },
      },
    },
  });
  dir = await mkdtemp(join(tmpdir(), "gatehouse-stream-prelude-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway);
  const store = new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens });
  token = (await issueToken(store, { gatewayId: gateway.id, label: "all", endpoints: null, now: Date.now() })).token;
  scopedToken = (await issueToken(store, { gatewayId: gateway.id, label: "echo-only", endpoints: ["echo"], now: Date.now() })).token;
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_AUDIT_RETENTION_DAYS: "7", GATEHOUSE_FRONT_DOOR: "stream" });
}, 60_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

const p = (slug: string, rest = "/x") => `/api/${gateway.id}/proxy/${slug}${rest}`;
const auth = (t = token) => ({ authorization: `Bearer ${t}` });

describe("the streaming door under a faithful stand-in of the runtime's response stream", () => {
  const cases: Array<[name: string, input: () => EventInput, status: number, code: string | null]> = [
    ["401 without a token", () => ({ path: p("echo") }), 401, "TOKEN_INVALID"],
    ["403 for a token scoped elsewhere", () => ({ path: p("limited"), headers: auth(scopedToken) }), 403, "TOKEN_NOT_SCOPED"],
    ["404 for an unknown endpoint", () => ({ path: p("nope"), headers: auth() }), 404, "ROUTE_NOT_FOUND"],
    ["405 for a method the endpoint does not allow", () => ({ method: "DELETE", path: p("echo"), headers: auth() }), 405, "METHOD_NOT_ALLOWED"],
    [
      "413 for a body over maxRequestBytes",
      () => ({ method: "POST", path: p("echo"), headers: { ...auth(), "content-type": "text/plain" }, body: "0123456789abcdef" }),
      413,
      "BODY_TOO_LARGE",
    ],
    ["200 for the first request of a limited endpoint", () => ({ path: p("limited"), headers: auth() }), 200, null],
    ["429 for the second", () => ({ path: p("limited"), headers: auth() }), 429, "RATE_LIMITED"],
    ["502 for an unreachable upstream", () => ({ path: p("down"), headers: auth() }), 502, "UPSTREAM_UNREACHABLE"],
    ["503 for a secret that cannot be decrypted", () => ({ path: p("locked"), headers: auth() }), 503, "SECRET_UNAVAILABLE"],
    ["504 for an upstream slower than the timeout", () => ({ path: p("slow"), headers: auth() }), 504, "UPSTREAM_TIMEOUT"],
    ["204 from the upstream", () => ({ path: p("echo", "/status/204"), headers: auth() }), 204, null],
    ["304 from the upstream", () => ({ path: p("echo", "/status/304"), headers: { ...auth(), "if-none-match": '"v1"' } }), 304, null],
    ["301 with Location", () => ({ path: p("echo", "/status/301"), headers: auth() }), 301, null],
    ["302 with Location", () => ({ path: p("echo", "/status/302"), headers: auth() }), 302, null],
    ["HEAD", () => ({ method: "HEAD", path: p("echo", "/thing"), headers: auth() }), 200, null],
  ];
  let answers: StreamedAnswer[];

  beforeAll(async () => {
    answers = (
      await invokeBundle<StreamedAnswer>(
        node,
        join(dir, "bundle"),
        "streamHandler",
        cases.map(([, input]) => functionUrlEvent(input())),
        env,
      )
    ).results;
  }, 60_000);

  it.each(cases.map(([name, , status, code], i) => [name, i, status, code] as const))(
    "%s: status, headers and cookies reach the client",
    (_name, i, status, code) => {
      expectStreamedAnswer(answers[i]!, status, code);
    },
  );

  it("the 401 carries the Bearer challenge; the 429 its Retry-After", () => {
    expect(answers[0]!.prelude.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(Number(answers[6]!.prelude.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("empty-bodied answers keep Location, ETag and Set-Cookie, with no body bytes after the prelude", () => {
    const [n204, n304, n301, n302, head] = answers.slice(10);
    for (const a of [n204, n304, n301, n302]) {
      expect(a!.prelude.headers["x-upstream"]).toBe("status");
      expect(a!.prelude.cookies).toEqual(["seen=1; Path=/"]);
      expect(a!.body).toBe("");
    }
    expect(n301!.prelude.headers.location).toBe("https://example.test/moved?to=here");
    expect(n302!.prelude.headers.location).toBe("https://example.test/moved?to=here");
    expect(n304!.prelude.headers.etag).toBe('"v1"');
    expect(head!.prelude.headers["content-type"]).toBe("application/json");
    expect(head!.body).toBe("");
    expect(upstream.seen).toContain("HEAD /e/thing");
  });

  it("a gateway that cannot be wired answers 503 GATEWAY_UNAVAILABLE with its prelude", async () => {
    const [answer] = (
      await invokeBundle<StreamedAnswer>(node, join(dir, "bundle"), "streamHandler", [functionUrlEvent({ path: p("echo"), headers: auth() })], {
        ...env,
        GATEHOUSE_TABLES: "{not json",
      })
    ).results;
    expect(answer!.preludeMissing).toBeUndefined();
    expect(answer!.prelude.statusCode).toBe(503);
    expect(answer!.prelude.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(streamedText(answer!)).code).toBe("GATEWAY_UNAVAILABLE");
  }, 30_000);
});
