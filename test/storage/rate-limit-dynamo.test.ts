import { describe, expect, it } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { storeEngine, useDynaliteAndUpstream } from "./engine-on-dynamo.ts";

const HOUR = Date.UTC(2026, 0, 1, 12, 0, 0);

const env = useDynaliteAndUpstream();

async function stores() {
  const tables = await env.db.freshTables();
  return {
    tokens: new DynamoTokenStore({ client: env.db.client, tableName: tables.tokens }),
    rateLimiter: new DynamoRateLimiter({ client: env.db.client, tableName: tables.rateLimits }),
    audit: new DynamoAuditSink({ client: env.db.client, tableName: tables.audit }),
  };
}

describe("DynamoDB rate limits on dynalite", () => {
  it("admits exactly 100 of 500 concurrent consume() calls at 100/min and the counter reads exactly 100", { timeout: 60_000 }, async () => {
    const { rateLimiter } = await stores();
    const request = { now: HOUR + 1000, buckets: [{ key: "gw/echo/tok_concurrent", scope: "token" as const, perMinute: 100 }] };
    const results = await Promise.all(Array.from({ length: 500 }, () => rateLimiter.consume(request)));
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    expect(results.filter((r) => !r.allowed)).toHaveLength(400);
    expect(await rateLimiter.count(request, "gw/echo/tok_concurrent", "minute")).toBe(100);
  });

  it("forwards exactly 100 of 500 concurrent proxied requests, refuses 400 with 429, and counts exactly 100", { timeout: 60_000 }, async () => {
    const s = await stores();
    const clock = new TestClock(HOUR + 2000);
    const gw = storeEngine({ upstream: env.upstream, ...s, clock, rateLimit: { perMinute: 100 } });
    const { token, record } = await issueToken(s.tokens, { gatewayId: gw.gateway.id, label: "burst", now: clock.now() });
    const before = env.upstream.hits();
    const responses = await Promise.all(Array.from({ length: 500 }, () => gw.get(token)));
    const other = responses.filter((r) => r.status !== 200 && r.status !== 429);
    // Anything else would be a store failure under load: show why (the audit keeps the reason).
    if (other.length) expect((await s.audit.query({ status: other[0]!.status, limit: 3 })).map((r) => r.reason)).toEqual([]);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(100);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(400);
    expect(refused[0]!.headers["retry-after"]).toBe("58");
    expect(env.upstream.hits() - before).toBe(100);
    const buckets = rateLimitBuckets(gw.gateway, gw.gateway.endpoints.echo!, record.id);
    expect(await s.rateLimiter.count({ now: clock.now(), buckets }, buckets[0]!.key, "minute")).toBe(100);
    await gw.close();
  });

  it("refuses on the hour cap while the minute has room (Retry-After to the hour's end), and the reverse", async () => {
    const s = await stores();
    const clock = new TestClock(HOUR);
    const gw = storeEngine({ upstream: env.upstream, ...s, clock, rateLimit: { perMinute: 2, perHour: 3 } });
    const { token } = await issueToken(s.tokens, { gatewayId: gw.gateway.id, label: "caps", now: clock.now() });
    expect((await gw.get(token)).status).toBe(200);
    expect((await gw.get(token)).status).toBe(200);
    // Minute full, hour has room: retry when the minute ends.
    clock.set(HOUR + 50_000);
    const minuteFull = await gw.get(token);
    expect(minuteFull.status).toBe(429);
    expect(minuteFull.headers["retry-after"]).toBe("10");
    expect(JSON.parse(minuteFull.body)).toMatchObject({ code: "RATE_LIMITED", violatedPolicies: ["per-minute"] });
    clock.set(HOUR + 60_000);
    expect((await gw.get(token)).status).toBe(200);
    // Hour full (3), minute has room (1 of 2): retry when the hour ends.
    clock.set(HOUR + 61_000);
    const hourFull = await gw.get(token);
    expect(hourFull.status).toBe(429);
    expect(hourFull.headers["retry-after"]).toBe("3539");
    expect(JSON.parse(hourFull.body)).toMatchObject({ code: "RATE_LIMITED", violatedPolicies: ["per-hour"] });
    expect(hourFull.headers.ratelimit).toBe('"per-minute";r=1;t=59, "per-hour";r=0;t=3539');
    clock.set(HOUR + 3_600_000);
    expect((await gw.get(token)).status).toBe(200);
    await gw.close();
  });
});
