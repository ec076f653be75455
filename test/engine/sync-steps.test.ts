import { afterEach, describe, expect, it } from "vitest";
import { secret } from "gatehouse-gateway";
import { MemoryRateLimiter } from "../../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { enforceRateLimit, rateLimitPlan } from "../../functions/engine/enforce-rate-limit.ts";
import { forward } from "../../functions/engine/forward.ts";
import { InjectedHeaders, resolveCredentials } from "../../functions/engine/resolve-credentials.ts";
import { TokenCache } from "../../functions/engine/token-cache.ts";
import { verifyToken } from "../../functions/engine/verify-token.ts";
import { writeAudit } from "../../functions/engine/write-audit.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import type { EnginePorts } from "../../functions/ports/index.ts";
import type { UpstreamClient } from "../../functions/ports/upstream-client.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { sha256Hex } from "../../functions/tokens/sha256.ts";
import { defineGateway } from "../../schema/define-gateway.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// The steps a cached token, the memory store and rendered headers can decide at once answer
// without a promise (an await of a value already there still costs a microtask turn on every
// request). These tests hold each such step to what its promise-returning path does, and show
// which path a request takes.

const NOW = Date.UTC(2026, 5, 1, 10, 0, 0);
/** A port method that throws where a promise-returning one would reject. */
const throws = (message: string) => (): never => {
  throw new Error(message);
};
const gateway = defineGateway({
  name: "sync",
  endpoints: {
    api: { upstream: "https://api.example.com", methods: ["GET"], rateLimit: { perMinute: 2 }, headers: { inject: { "x-key": secret("KEY") } } },
    other: { upstream: "https://other.example.com", methods: ["GET"] },
  },
});
const api = gateway.endpoints.api!;
const other = gateway.endpoints.other!;

describe("verifyToken", () => {
  it("answers a cached token at once, with the same checks as a looked-up one", async () => {
    const store = new MemoryTokenStore();
    const { token, record } = await issueToken(store, { gatewayId: gateway.id, label: "app", endpoints: ["other"], now: NOW });
    const context = { store, cache: new TokenCache(10_000, 10), hash: sha256Hex, now: NOW };
    const first = verifyToken(token, gateway, api, context);
    expect(first).toBeInstanceOf(Promise);
    const looked = await first;
    const cached = verifyToken(token, gateway, api, context);
    expect(cached).not.toBeInstanceOf(Promise);
    expect(cached).toEqual(looked);
    expect(looked).toMatchObject({ ok: false, refusal: { code: "TOKEN_NOT_SCOPED" }, record: { id: record.id } });
    expect(verifyToken(token, gateway, other, context)).toEqual({ ok: true, record: expect.objectContaining({ id: record.id }) });
  });

  it("refuses a cached token once its record says it is revoked or expired", async () => {
    const store = new MemoryTokenStore();
    const { token } = await issueToken(store, { gatewayId: gateway.id, label: "app", expiresAt: NOW + 5_000, now: NOW });
    const cache = new TokenCache(60_000, 10);
    expect(await verifyToken(token, gateway, other, { store, cache, hash: sha256Hex, now: NOW })).toMatchObject({ ok: true });
    expect(verifyToken(token, gateway, other, { store, cache, hash: sha256Hex, now: NOW + 5_000 })).toMatchObject({
      ok: false,
      refusal: { code: "TOKEN_INVALID", reason: "expired token" },
    });
  });
});

describe("enforceRateLimit", () => {
  const record = { id: "tok_sync", hash: "", gatewayId: gateway.id, label: "app", endpoints: null, createdAt: NOW, expiresAt: null, revokedAt: null };

  it("answers at once on the memory store: two admitted with their RateLimit fields, the third refused with Retry-After", () => {
    const limiter = new MemoryRateLimiter();
    const plan = rateLimitPlan(gateway, api, record);
    const verdicts = [0, 1, 2].map(() => enforceRateLimit(limiter, plan, NOW + 30_000));
    for (const verdict of verdicts) expect(verdict).not.toBeInstanceOf(Promise);
    expect(verdicts[1]).toEqual({ ok: true, headers: { "ratelimit-policy": '"per-minute";q=2;w=60', ratelimit: '"per-minute";r=0;t=30' } });
    expect(verdicts[2]).toMatchObject({ ok: false, refusal: { code: "RATE_LIMITED", headers: { "retry-after": "30" } } });
  });

  it("fails closed alike whether the limiter throws or its promise rejects", async () => {
    const plan = rateLimitPlan(gateway, api, record);
    const thrown = enforceRateLimit({ consume: throws("disk full") }, plan, NOW);
    const rejected = await enforceRateLimit({ consume: () => Promise.reject(new Error("disk full")) }, plan, NOW);
    expect(thrown).toEqual(rejected);
    expect(rejected).toMatchObject({ ok: false, refusal: { code: "STORE_UNAVAILABLE", reason: "rate limiter failed: disk full" } });
  });
});

describe("resolveCredentials", () => {
  it("renders an endpoint's headers once through the promise, then answers at once with the same values", async () => {
    const injected = new InjectedHeaders();
    const ports = { secrets: { reveal: async () => "k-123" } };
    const first = resolveCredentials(gateway, api, ports, injected);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ ok: true, headers: { "x-key": "k-123" }, secrets: ["k-123"] });
    const again = resolveCredentials(gateway, api, ports, injected);
    expect(again).toEqual({ ok: true, headers: { "x-key": "k-123" }, secrets: ["k-123"] });
  });
});

describe("writeAudit and forward", () => {
  const record = { requestId: "req_1", decision: "OK" } as unknown as AuditRecord;

  it("logs the record with the fallback marker when the sink throws instead of rejecting", async () => {
    const logged: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = { info() {}, warn() {}, error: (event: string, fields?: Record<string, unknown>) => void logged.push([event, fields]) };
    const sink = { write: throws("sink broke") };
    await expect(writeAudit(sink, log, record)).resolves.toBeUndefined();
    expect(logged).toEqual([["audit.write_failed", { auditFallback: true, error: "sink broke", record }]]);
  });

  it("turns a client that throws instead of rejecting into the same 502 refusal", async () => {
    const request = { origin: "https://api.example.com", path: "/", method: "GET", headers: {}, body: null, timeoutMs: 1000, allowPrivate: [] };
    const throwing = { send: throws("no route") } as unknown as UpstreamClient;
    const rejecting = { send: () => Promise.reject(new Error("no route")) } as unknown as UpstreamClient;
    const thrown = await forward(throwing, request);
    expect(thrown).toEqual(await forward(rejecting, request));
    expect(thrown).toMatchObject({ ok: false, refusal: { code: "UPSTREAM_UNREACHABLE", reason: "upstream call failed: no route" } });
  });
});

describe("through the front door", () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  async function setup(ports: Partial<EnginePorts>): Promise<{ h: Harness; upstream: UpstreamStub; auth: Record<string, string> }> {
    const upstream = await startUpstream();
    const h = await startHarness(
      {
        name: "acme",
        endpoints: { api: { upstream: upstream.url, methods: ["GET"], rateLimit: { perMinute: 5 }, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
      } as never,
      { ports },
    );
    open.push(upstream, h);
    return { h, upstream, auth: { authorization: `Bearer ${(await h.token()).token}` } };
  }

  it("answers 503 and forwards nothing when the rate limiter throws", async () => {
    const { h, upstream, auth } = await setup({ rateLimiter: { consume: throws("store down") } });
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(503);
    expect(r.json()).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(upstream.seen).toHaveLength(0);
  });

  it("answers 200 and logs the record when the audit sink throws", async () => {
    const { h, auth } = await setup({ audit: { write: throws("sink broke") } as never });
    const r = await send(h.url("api"), { headers: auth });
    expect(r.status).toBe(200);
    await h.finished(r.headers["x-request-id"] as string);
    const entry = h.logs.find((l) => l.event === "audit.write_failed");
    expect(entry?.fields).toMatchObject({ auditFallback: true, error: "sink broke", record: { status: 200, endpoint: "api", decision: "OK" } });
  });
});
