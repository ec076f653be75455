import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { deployGateways } from "../../infra/deploy-gateways.ts";
import { runUnderMocks } from "../../infra/run-under-mocks.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";
import { node24Binary } from "./support/node-binaries.ts";
import { functionUrlEvent, type EventInput } from "./support/payload-v2-events.ts";
import { expectStreamedAnswer, invokeBundle, streamedText, type StreamedAnswer } from "./support/run-bundle.ts";
import { startStatusUpstream } from "./support/status-upstream.ts";

// The Function-URL-only door (`frontDoor: "function-url"`) through the built bundle: the function
// the component plans (its handler and the door variables of its environment, read from a mock
// run) gets Function URL events for every endpoint, short ones included, under the stand-in of the
// runtime's response stream. Gateway-made answers (whole bodies), empty answers and a streamed
// upstream body all arrive with status, headers and cookies.

let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: Awaited<ReturnType<typeof startStatusUpstream>>;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
let handler: "handler" | "streamHandler";
let token: string;
const node = node24Binary();
const BIG = 3 * 1024 * 1024 + 17;

beforeAll(async () => {
  [dynalite, kms, upstream] = await Promise.all([startTestDynalite({ prefix: "function-url-door" }), startFakeKmsServer(), startStatusUpstream()]);
  const base = { unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { allowSetCookie: true } };
  gateway = defineGateway({
    name: "function-url-door",
    endpoints: {
      usual: { ...base, upstream: `${upstream.origin}/u`, methods: ["GET", "HEAD", "POST"] satisfies Method[], maxRequestBytes: 8 },
      quick: { ...base, upstream: `${upstream.origin}/q`, methods: ["GET"] satisfies Method[], timeoutSeconds: 5, rateLimit: { perMinute: 1 } },
      report: { ...base, upstream: `${upstream.origin}/r`, methods: ["GET"] satisfies Method[], timeoutSeconds: 120 },
    },
  });
  // The deployed function's handler and door environment, as the component plans them.
  const planned = await runUnderMocks(() => ({
    gateways: deployGateways([gateway], { secret: () => pulumi.secret("x"), options: { frontDoor: "function-url" } }).outputs,
  }));
  const functions = planned.resources.filter((r) => r.type === "aws:lambda/function:Function");
  expect(functions).toHaveLength(1);
  const fn = functions[0]!.rawInputs as { handler: string; environment: { variables: Record<string, string> } };
  handler = fn.handler.replace(/^index\./, "") as "handler" | "streamHandler";
  const { GATEHOUSE_FRONT_DOOR, GATEHOUSE_AUDIT_RETENTION_DAYS } = fn.environment.variables;
  dir = await mkdtemp(join(tmpdir(), "gatehouse-function-url-door-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway);
  const store = new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens });
  token = (await issueToken(store, { gatewayId: gateway.id, label: "direct", endpoints: null, now: Date.now() })).token;
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_FRONT_DOOR: GATEHOUSE_FRONT_DOOR!, GATEHOUSE_AUDIT_RETENTION_DAYS: GATEHOUSE_AUDIT_RETENTION_DAYS! });
}, 90_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

const p = (slug: string, rest = "/x") => `/api/${gateway.id}/proxy/${slug}${rest}`;
const auth = { authorization: `Bearer ${"{{TOKEN}}"}` };

describe('frontDoor "function-url" through the built bundle', () => {
  const cases: Array<[name: string, input: () => EventInput, status: number, code: string | null]> = [
    ["401 without a token", () => ({ path: p("usual") }), 401, "TOKEN_INVALID"],
    ["404 for an unknown endpoint", () => ({ path: p("nope"), headers: auth }), 404, "ROUTE_NOT_FOUND"],
    ["405 for a method not allowed", () => ({ method: "DELETE", path: p("usual"), headers: auth }), 405, "METHOD_NOT_ALLOWED"],
    [
      "413 for a body over maxRequestBytes",
      () => ({ method: "POST", path: p("usual"), headers: { ...auth, "content-type": "text/plain" }, body: "0123456789abcdef" }),
      413,
      "BODY_TOO_LARGE",
    ],
    ["200 for a short endpoint (5 s), no 421: this door serves every endpoint", () => ({ path: p("quick", "/first"), headers: auth }), 200, null],
    ["429 for the second request of a limited endpoint", () => ({ path: p("quick", "/second"), headers: auth }), 429, "RATE_LIMITED"],
    ["200 with the client's %2F kept", () => ({ path: p("usual", "/group%2Fproject/a%20b"), query: "q=caf%C3%A9", headers: auth }), 200, null],
    ["204 from the upstream", () => ({ path: p("usual", "/status/204"), headers: auth }), 204, null],
    ["304 from the upstream", () => ({ path: p("usual", "/status/304"), headers: { ...auth, "if-none-match": '"v1"' } }), 304, null],
    ["HEAD", () => ({ method: "HEAD", path: p("usual", "/thing"), headers: auth }), 200, null],
    ["a streamed 3 MB body from the long endpoint", () => ({ path: p("report", `/bytes/${BIG}`), headers: auth }), 200, null],
  ];
  let answers: StreamedAnswer[];

  beforeAll(async () => {
    const withToken = (input: EventInput): EventInput =>
      input.headers?.authorization ? { ...input, headers: { ...input.headers, authorization: `Bearer ${token}` } } : input;
    answers = (
      await invokeBundle<StreamedAnswer>(
        node,
        join(dir, "bundle"),
        handler,
        cases.map(([, input]) => functionUrlEvent(withToken(input()))),
        env,
      )
    ).results;
  }, 90_000);

  it("the planned function is the streaming handler on the stream door", () => {
    expect(handler).toBe("streamHandler");
    expect(env.GATEHOUSE_FRONT_DOOR).toBe("stream");
  });

  it.each(cases.map(([name, , status, code], i) => [name, i, status, code] as const))("%s: status and headers in the prelude", (_name, i, status, code) => {
    expectStreamedAnswer(answers[i]!, status, code);
  });

  it("the upstream received the client's encoding byte for byte, and every other request as sent", () => {
    expect(upstream.seen).toContain("GET /u/group%2Fproject/a%20b?q=caf%C3%A9");
    expect(JSON.parse(streamedText(answers[6]!))).toEqual({ method: "GET", url: "/u/group%2Fproject/a%20b?q=caf%C3%A9" });
    expect(upstream.seen).toContain("GET /q/first");
    expect(upstream.seen).not.toContain("GET /q/second");
  });

  it("empty answers: no body bytes, headers and cookies kept", () => {
    const [n204, n304, head] = answers.slice(7, 10);
    for (const a of [n204!, n304!]) {
      expect(a.body).toBe("");
      expect(a.prelude.headers["x-upstream"]).toBe("status");
      expect(a.prelude.cookies).toEqual(["seen=1; Path=/"]);
    }
    expect(n304!.prelude.headers.etag).toBe('"v1"');
    expect(head!.body).toBe("");
    expect(head!.prelude.headers["content-type"]).toBe("application/json");
  });

  it("the streamed body arrives whole: every byte, in order", () => {
    const body = Buffer.from(answers[10]!.body, "base64");
    expect(body.byteLength).toBe(BIG);
    const expected = Buffer.concat(Array.from({ length: Math.ceil(BIG / 65_536) }, (_, k) => Buffer.alloc(Math.min(65_536, BIG - k * 65_536), k % 251)));
    expect(createHash("sha256").update(body).digest("hex")).toBe(createHash("sha256").update(expected).digest("hex"));
    expect(answers[10]!.prelude.headers["content-type"]).toBe("application/octet-stream");
  });

  it("every request is audited with the path as the client encoded it", async () => {
    const records = await new DynamoAuditSink({ client: dynalite.client, tableName: dynalite.tables.audit }).query({ gatewayId: gateway.id });
    // The unknown endpoint's 404 included: it is recorded under the gateway whose id the path names.
    expect(records).toHaveLength(cases.length);
    // The query's value is redacted (not listed in auditQueryValues); the path is as sent.
    expect(records.map((r) => r.path.split("?")[0])).toContain(p("usual", "/group%2Fproject/a%20b"));
    expect(records.find((r) => r.path === p("report", `/bytes/${BIG}`))!.bytesOut).toBe(BIG);
  });
});
