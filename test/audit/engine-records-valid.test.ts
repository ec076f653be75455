import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secret, type Method } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 19 item 7: every record the engine writes, in every way a request can end that a test
// can provoke here, validates against the JSON Schema shipped in the package.

const schema = JSON.parse(readFileSync(new URL("../../schema/audit-record.schema.json", import.meta.url), "utf8"));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream(async (req, res) => {
    if (req.url?.includes("hang")) return; // never answers: the endpoint's timeout ends it
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`echo ${String(req.headers["x-key"] ?? "")}`);
  });
  const common = { upstream: upstream.url, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  h = await startHarness(
    {
      name: "records",
      endpoints: {
        ok: {
          ...common,
          methods: ["GET", "POST"] satisfies Method[],
          headers: { inject: { "x-key": secret("KEY") } },
          maxRequestBytes: 10,
          auditQueryValues: ["page"],
        },
        limited: { ...common, methods: ["GET"] satisfies Method[], rateLimit: { perMinute: 1 } },
        slow: { ...common, methods: ["GET"] satisfies Method[], timeoutSeconds: 1 },
        down: { upstream: "http://127.0.0.1:9", methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] },
        nosecret: { ...common, methods: ["GET"] satisfies Method[], headers: { inject: { "x-key": secret("MISSING") } } },
        browser: { ...common, methods: ["GET"] satisfies Method[], cors: { origins: ["https://app.example"] } },
      },
    },
    { secrets: { KEY: "sk_test_audit_record_key" } },
  );
  auth = { authorization: `Bearer ${(await h.token({ endpoints: ["ok", "limited", "slow", "down", "nosecret", "browser"] })).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

describe("every record the engine writes validates against audit-record.schema.json", () => {
  it("across admitted, refused and failed requests", async () => {
    const scoped = `Bearer ${(await h.token({ endpoints: ["limited"] })).token}`;
    const calls: Array<[string, Parameters<typeof send>[1], number]> = [
      [h.url("ok", "/a?page=2&secret=x"), { headers: auth }, 200],
      [h.url("ok", "/a"), { headers: { ...auth }, method: "POST", body: "more than ten bytes" }, 413],
      [h.url("ok", "/a"), {}, 401],
      [h.url("ok", "/a"), { headers: { authorization: "Bearer gatehouse_unknown" } }, 401],
      [h.url("ok", "/a"), { headers: { authorization: scoped } }, 403],
      [h.url("ok", "/a"), { headers: auth, method: "DELETE" }, 405],
      [h.url("ok", "/a/%2e%2e/b"), { headers: auth }, 400],
      [h.url("limited"), { headers: auth }, 200],
      [h.url("limited"), { headers: auth }, 429],
      [h.url("slow", "/hang"), { headers: auth }, 504],
      [h.url("down"), { headers: auth }, 502],
      [h.url("nosecret"), { headers: auth }, 503],
      [h.url("browser"), { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "GET" } }, 204],
      [h.url("missing-slug"), { headers: auth }, 404],
      [`${h.base}/api/00000000-0000-4000-8000-000000000000/proxy/x`, {}, 404],
      [`${h.base}/elsewhere`, {}, 404],
    ];
    for (const [url, options, status] of calls) expect((await send(url, options)).status, url).toBe(status);
    const records = await h.audit(calls.length);
    expect(records).toHaveLength(calls.length);
    expect(records.map((r) => r.status)).toEqual(calls.map(([, , status]) => status));
    for (const record of records) {
      const valid = validate(record);
      expect(valid, `${record.decision}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(new Set(records.map((r) => r.decision)).size).toBeGreaterThanOrEqual(12);
  }, 20_000);

  it("a 404 under a known gateway id is recorded under that gateway; one under an unknown id under none", async () => {
    const records = h.ports.audit.records.filter((r) => r.status === 404);
    expect(records.map((r) => [r.gatewayId, r.gatewayName, r.revision])).toEqual([
      [h.gateway.id, "records", h.gateway.revision],
      [null, null, null],
      [null, null, null],
    ]);
  });

  it("a record with an extra or a mistyped field does not validate (the schema is strict)", () => {
    const record = h.ports.audit.records[0]!;
    expect(validate({ ...record, extra: 1 })).toBe(false);
    expect(validate({ ...record, status: "200" })).toBe(false);
    expect(validate(JSON.parse(JSON.stringify(record)))).toBe(true);
  });
});
