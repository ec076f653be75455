import { afterEach, describe, expect, it } from "vitest";
import { secret } from "gatehouse-gateway";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import type { ConnectionTokens } from "../../functions/ports/connection-tokens.ts";
import type { AuditSink } from "../../functions/ports/audit-sink.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function setup(endpoint: Record<string, unknown>, options: Parameters<typeof startHarness>[1] = {}, handler?: Parameters<typeof startUpstream>[0]) {
  const upstream: UpstreamStub = await startUpstream(handler);
  const h: Harness = await startHarness(
    {
      name: "acme",
      endpoints: { api: { upstream: upstream.url, methods: ["GET", "POST"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], ...endpoint } },
    } as never,
    options,
  );
  open.push(upstream, h);
  const { token, id } = await h.token();
  return { upstream, h, id, auth: { authorization: `Bearer ${token}` } };
}

describe("rate limits", () => {
  it("admits up to the minute cap, then 429 with Retry-After until the next minute; refused requests count nothing", async () => {
    const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 45));
    const { h, upstream, auth } = await setup({ rateLimit: { perMinute: 3, perHour: 10 } }, { clock });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await send(h.url("api"), { headers: auth });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(upstream.seen).toHaveLength(3);
    expect(last!.headers["retry-after"]).toBe("15");
    expect(last!.headers["ratelimit-policy"]).toBe('"per-minute";q=3;w=60, "per-hour";q=10;w=3600');
    expect(last!.headers.ratelimit).toBe('"per-minute";r=0;t=15, "per-hour";r=7;t=3555');
    expect(last!.json()).toMatchObject({ code: "RATE_LIMITED", violatedPolicies: ["per-minute"], retryAfterSeconds: 15 });
    clock.advance(15_000);
    const next = await send(h.url("api"), { headers: auth });
    expect(next.status).toBe(200);
    expect(next.headers.ratelimit).toBe('"per-minute";r=2;t=60, "per-hour";r=6;t=3540');
  });

  it("sends the RateLimit fields on admitted responses", async () => {
    const { h, auth } = await setup({ rateLimit: { perMinute: 50 } }, { clock: new TestClock(Date.UTC(2026, 5, 1, 10, 0, 0)) });
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers["ratelimit-policy"]).toBe('"per-minute";q=50;w=60');
    expect(r.headers.ratelimit).toBe('"per-minute";r=49;t=60');
  });

  it("applies the endpoint-wide cap across tokens, each token keeping its own cap", async () => {
    const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 0));
    const { h, auth } = await setup({ rateLimit: { perMinute: 2, endpoint: { perMinute: 3 } } }, { clock });
    const second = { authorization: `Bearer ${(await h.token()).token}` };
    const a = [await send(h.url("api"), { headers: auth }), await send(h.url("api"), { headers: auth }), await send(h.url("api"), { headers: auth })];
    expect(a.map((r) => r.status)).toEqual([200, 200, 429]);
    const b = [await send(h.url("api"), { headers: second }), await send(h.url("api"), { headers: second })];
    expect(b.map((r) => r.status)).toEqual([200, 429]);
    expect(b[1]!.json().violatedPolicies).toEqual(["endpoint-per-minute"]);
  });

  it("refuses with 503 and forwards nothing when the rate limiter fails", async () => {
    const { h, upstream, auth } = await setup(
      { rateLimit: { perMinute: 5 } },
      { ports: { rateLimiter: { consume: async () => Promise.reject(new Error("store down")) } } },
    );
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(503);
    expect(r.json().code).toBe("STORE_UNAVAILABLE");
    expect(upstream.seen).toHaveLength(0);
  });
});

describe("failures fail closed", () => {
  it("503s when the token store fails", async () => {
    const failing = { findByHash: async () => Promise.reject(new Error("unreachable")) };
    const { h, upstream, auth } = await setup({}, {});
    Object.assign(h.ports.tokens, failing);
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(503);
    expect(r.json().code).toBe("STORE_UNAVAILABLE");
    expect(upstream.seen).toHaveLength(0);
  });

  it("503s when an injected secret cannot be revealed, naming nothing secret", async () => {
    const { h, upstream, auth } = await setup({ headers: { inject: { "x-key": secret("MISSING_KEY") } } });
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(503);
    expect(r.json().code).toBe("SECRET_UNAVAILABLE");
    expect(r.text).not.toContain("MISSING_KEY");
    expect(upstream.seen).toHaveLength(0);
  });

  it("renders an endpoint's injected secret once, but asks again after a failure rather than keeping it", async () => {
    const asked: string[] = [];
    let available = false;
    const secrets = {
      reveal: async (_gateway: string, name: string) => {
        asked.push(name);
        if (!available) throw new Error("key unavailable");
        return "s3cret-value";
      },
    };
    const { h, upstream, auth } = await setup({ headers: { inject: { "x-key": secret("API_KEY") } } }, { ports: { secrets } });
    expect((await send(h.url("api"), { headers: auth })).status).toBe(503);
    expect((await send(h.url("api"), { headers: auth })).status).toBe(503);
    expect(asked).toEqual(["API_KEY", "API_KEY"]);
    available = true;
    for (let i = 0; i < 3; i++) expect((await send(h.url("api"), { headers: auth })).status).toBe(200);
    expect(asked).toHaveLength(3);
    expect(upstream.seen.map((r) => r.headers["x-key"])).toEqual(["s3cret-value", "s3cret-value", "s3cret-value"]);
  });

  it("writes the record to the structured log with a marker when the audit sink fails", async () => {
    const sink: AuditSink = { write: async () => Promise.reject(new Error("audit table throttled")) };
    const { h, auth } = await setup({}, { ports: { audit: sink as never } });
    const r = await send(h.url("api", "/x?card=4242"), { headers: auth });
    expect(r.status).toBe(200);
    for (let i = 0; i < 50 && !h.logs.some((l) => l.event === "audit.write_failed"); i++) await new Promise((res) => setTimeout(res, 10));
    const entry = h.logs.find((l) => l.event === "audit.write_failed")!;
    expect(entry.level).toBe("error");
    expect(entry.fields).toMatchObject({ auditFallback: true, error: "audit table throttled", record: { status: 200, endpoint: "api", decision: "OK" } });
    expect(JSON.stringify(entry)).not.toContain("4242");
  });
});

describe("audit", () => {
  it("records admitted requests with every field, and never header values, bodies or secrets", async () => {
    const { h, auth, id } = await setup(
      { headers: { forward: ["content-type"], inject: { "x-key": secret("UPSTREAM_KEY") } } },
      { secrets: { UPSTREAM_KEY: "sk-very-secret" } },
    );
    const token = auth.authorization.slice(7);
    const r = await send(h.url("api", "/orders?id=7"), {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "user-agent": "billing/1.0" },
      body: '{"card":"4242"}',
    });
    expect(r.status).toBe(200);
    const [record] = await h.audit(1);
    expect(record).toMatchObject({
      event: "proxy.request",
      gatewayId: h.gateway.id,
      gatewayName: "acme",
      endpoint: "api",
      tokenId: id,
      tokenLabel: "test-app",
      method: "POST",
      path: `/api/${h.gateway.id}/proxy/api/orders?id=[redacted]`,
      status: 200,
      upstreamStatus: 200,
      decision: "OK",
      reason: null,
      bytesIn: 15,
      bytesOut: 11,
      clientAddress: "127.0.0.1",
      userAgent: "billing/1.0",
      revision: h.gateway.revision,
    });
    expect(record!.requestId).toBe(r.headers["x-request-id"]);
    expect(record!.durationMs).toBeGreaterThanOrEqual(0);
    expect(record!.upstreamDurationMs).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify(record);
    for (const forbidden of [token, "sk-very-secret", "4242", "application/json"]) expect(text).not.toContain(forbidden);
  });
});

describe("OAuth bearer injection", () => {
  it("injects the connection's token and replays once with a fresh one after an upstream 401", async () => {
    const calls: Array<string | undefined> = [];
    const connections: ConnectionTokens = {
      async accessToken(_gateway, _name, options) {
        calls.push(options?.rejected);
        return { ok: true, token: options?.rejected ? "fresh" : "stale" };
      },
    };
    const upstream = await startUpstream((req, res) => {
      res.writeHead(req.headers.authorization === "Bearer fresh" ? 200 : 401);
      res.end(req.headers.authorization ?? "");
    });
    const h = await startHarness(
      {
        name: "acme",
        connections: { gh: { provider: "github", clientId: "x", clientSecret: secret("GH") } },
        endpoints: { api: { upstream: upstream.url, methods: ["GET", "POST"], connection: "gh", unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
      },
      { ports: { connections } },
    );
    open.push(upstream, h);
    const auth = { authorization: `Bearer ${(await h.token()).token}` };
    const r = await send(h.url("api", "/user"), { headers: auth });
    expect(r.status).toBe(200);
    expect(r.text).toBe("Bearer *****"); // the echoed token is scrubbed (issue 15 item 2)
    expect(calls).toEqual([undefined, "stale"]);
    expect(upstream.seen.map((s) => s.headers.authorization)).toEqual(["Bearer stale", "Bearer fresh"]);

    // A streamed body cannot be sent twice: the 401 goes back to the client.
    calls.length = 0;
    const streamed = await send(h.url("api", "/user"), { method: "POST", headers: { ...auth, "transfer-encoding": "chunked" }, body: "x" });
    expect(streamed.status).toBe(401);
    expect(calls).toEqual([undefined]);
  });

  it("tells the client how to reconnect when the grant is dead", async () => {
    const connections: ConnectionTokens = { accessToken: async () => ({ ok: false, status: "needs_reauthorization", message: "invalid_grant" }) };
    const upstream = await startUpstream();
    const h = await startHarness(
      {
        name: "acme",
        connections: { gh: { provider: "github", clientId: "x", clientSecret: secret("GH") } },
        endpoints: { api: { upstream: upstream.url, methods: ["GET"], connection: "gh", unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
      },
      { ports: { connections } },
    );
    open.push(upstream, h);
    const r = await send(h.url("api"), { headers: { authorization: `Bearer ${(await h.token()).token}` } });
    expect(r.status).toBe(503);
    expect(r.json()).toMatchObject({ code: "CONNECTION_NEEDS_REAUTHORIZATION", connection: "gh", reconnect: "gatehouse connect acme gh" });
    expect(upstream.seen).toHaveLength(0);
  });
});

describe("token verification cache", () => {
  it("serves a revoked token until the cache entry expires, then refuses it", async () => {
    const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 0));
    const { h, auth, id } = await setup({}, { clock, engine: { tokenCacheSeconds: 10 } });
    expect((await send(h.url("api"), { headers: auth })).status).toBe(200);
    await h.ports.tokens.revoke(id, clock.now());
    expect((await send(h.url("api"), { headers: auth })).status).toBe(200);
    clock.advance(10_000);
    expect((await send(h.url("api"), { headers: auth })).status).toBe(401);
  });

  it("with the cache off, revocation takes effect at once", async () => {
    const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 0));
    const { h, auth, id } = await setup({}, { clock, engine: { tokenCacheSeconds: 0 } });
    expect((await send(h.url("api"), { headers: auth })).status).toBe(200);
    await h.ports.tokens.revoke(id, clock.now());
    expect((await send(h.url("api"), { headers: auth })).status).toBe(401);
  });
});
