import { describe, expect, it } from "vitest";
import type { RateLimitBucket, RateLimiter } from "../../functions/ports/rate-limiter.ts";

/** 12:00:00.000 UTC: the start of a minute and of an hour. */
const HOUR = Date.UTC(2026, 0, 1, 12, 0, 0);
let unique = 0;

/** A bucket key no other test uses, so one limiter can serve a whole suite. */
function key(scope: "token" | "endpoint"): string {
  unique += 1;
  return `0b7c1c1e-3f4a-5b6c-8d7e-9f0a1b2c3d4e/ep${unique}/${scope === "token" ? `tok_${unique}` : "*"}`;
}

/** The RateLimiter contract (functions/ports/rate-limiter.ts); `make` returns an empty limiter. */
export function rateLimiterContract(name: string, make: () => Promise<RateLimiter>): void {
  describe(`RateLimiter contract: ${name}`, () => {
    it("admits up to the minute cap, then refuses until the minute ends, with exact windows", async () => {
      const limiter = await make();
      const bucket: RateLimitBucket = { key: key("token"), scope: "token", perMinute: 3, perHour: 100 };
      const now = HOUR + 15_500;
      const first = await limiter.consume({ now, buckets: [bucket] });
      expect(first).toEqual({
        allowed: true,
        windows: [
          { scope: "token", window: "minute", limit: 3, remaining: 2, resetSeconds: 45 },
          { scope: "token", window: "hour", limit: 100, remaining: 99, resetSeconds: 3585 },
        ],
      });
      await limiter.consume({ now, buckets: [bucket] });
      expect((await limiter.consume({ now, buckets: [bucket] })).allowed).toBe(true);
      const refused = await limiter.consume({ now, buckets: [bucket] });
      expect(refused).toEqual({
        allowed: false,
        retryAfterSeconds: 45,
        windows: [
          { scope: "token", window: "minute", limit: 3, remaining: 0, resetSeconds: 45 },
          { scope: "token", window: "hour", limit: 100, remaining: 97, resetSeconds: 3585 },
        ],
      });
      const nextMinute = await limiter.consume({ now: HOUR + 60_000, buckets: [bucket] });
      expect(nextMinute.allowed).toBe(true);
      // The refused request counted nothing in the hour: 3 + 1 used.
      expect(nextMinute.windows[1]).toMatchObject({ window: "hour", remaining: 96 });
      expect(nextMinute.windows[0]).toMatchObject({ window: "minute", remaining: 2, resetSeconds: 60 });
    });

    it("refuses on the hour cap while the minute window still has room", async () => {
      const limiter = await make();
      const bucket: RateLimitBucket = { key: key("token"), scope: "token", perMinute: 3, perHour: 4 };
      for (let i = 0; i < 3; i++) expect((await limiter.consume({ now: HOUR + 1000, buckets: [bucket] })).allowed).toBe(true);
      expect((await limiter.consume({ now: HOUR + 61_000, buckets: [bucket] })).allowed).toBe(true);
      const refused = await limiter.consume({ now: HOUR + 62_000, buckets: [bucket] });
      expect(refused).toEqual({
        allowed: false,
        retryAfterSeconds: 3538,
        windows: [
          { scope: "token", window: "minute", limit: 3, remaining: 2, resetSeconds: 58 },
          { scope: "token", window: "hour", limit: 4, remaining: 0, resetSeconds: 3538 },
        ],
      });
      expect((await limiter.consume({ now: HOUR + 3_600_000, buckets: [bucket] })).allowed).toBe(true);
    });

    it("refuses on the minute cap while the hour still has room, and a refusal counts in neither window", async () => {
      const limiter = await make();
      const bucket: RateLimitBucket = { key: key("token"), scope: "token", perMinute: 2, perHour: 5 };
      await limiter.consume({ now: HOUR, buckets: [bucket] });
      await limiter.consume({ now: HOUR, buckets: [bucket] });
      for (let i = 0; i < 5; i++) {
        const refused = await limiter.consume({ now: HOUR + 59_000, buckets: [bucket] });
        expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
        expect(refused.windows[1]).toMatchObject({ window: "hour", remaining: 3 });
      }
      // Three more fit in the hour: the five refusals counted nothing.
      expect((await limiter.consume({ now: HOUR + 60_000, buckets: [bucket] })).allowed).toBe(true);
      expect((await limiter.consume({ now: HOUR + 60_000, buckets: [bucket] })).allowed).toBe(true);
      expect((await limiter.consume({ now: HOUR + 120_000, buckets: [bucket] })).allowed).toBe(true);
      expect((await limiter.consume({ now: HOUR + 180_000, buckets: [bucket] })).allowed).toBe(false);
    });

    it("shares an endpoint-wide cap between tokens and counts nothing in a token bucket when the endpoint refuses", async () => {
      const limiter = await make();
      const endpoint: RateLimitBucket = { key: key("endpoint"), scope: "endpoint", perMinute: 3 };
      const a: RateLimitBucket = { key: `${endpoint.key.slice(0, -1)}tok_a`, scope: "token", perMinute: 2, perHour: 10 };
      const b: RateLimitBucket = { key: `${endpoint.key.slice(0, -1)}tok_b`, scope: "token", perMinute: 2, perHour: 10 };
      const now = HOUR + 30_000;
      expect((await limiter.consume({ now, buckets: [a, endpoint] })).allowed).toBe(true);
      expect((await limiter.consume({ now, buckets: [a, endpoint] })).allowed).toBe(true);
      // a is full on its own cap: refused, and the endpoint counts nothing for it.
      const ownCap = await limiter.consume({ now, buckets: [a, endpoint] });
      expect(ownCap).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
      expect(ownCap.windows).toEqual([
        { scope: "token", window: "minute", limit: 2, remaining: 0, resetSeconds: 30 },
        { scope: "token", window: "hour", limit: 10, remaining: 8, resetSeconds: 3570 },
        { scope: "endpoint", window: "minute", limit: 3, remaining: 1, resetSeconds: 30 },
      ]);
      expect((await limiter.consume({ now, buckets: [b, endpoint] })).allowed).toBe(true);
      const shared = await limiter.consume({ now, buckets: [b, endpoint] });
      expect(shared.allowed).toBe(false);
      expect(shared.windows).toEqual([
        { scope: "token", window: "minute", limit: 2, remaining: 1, resetSeconds: 30 },
        { scope: "token", window: "hour", limit: 10, remaining: 9, resetSeconds: 3570 },
        { scope: "endpoint", window: "minute", limit: 3, remaining: 0, resetSeconds: 30 },
      ]);
      // b's refusal by the endpoint cap counted nothing for b: it still has 1 in its minute next time round.
      const later = await limiter.consume({ now: HOUR + 60_000, buckets: [b, endpoint] });
      expect(later.windows[1]).toMatchObject({ window: "hour", remaining: 8 });
    });

    it("admits everything when no bucket has a cap", async () => {
      const limiter = await make();
      expect(await limiter.consume({ now: HOUR, buckets: [] })).toEqual({ allowed: true, windows: [] });
    });

    it("admits exactly the cap out of 500 concurrent requests", { timeout: 60_000 }, async () => {
      const limiter = await make();
      const bucket: RateLimitBucket = { key: key("token"), scope: "token", perMinute: 100 };
      const results = await Promise.all(Array.from({ length: 500 }, () => limiter.consume({ now: HOUR + 5000, buckets: [bucket] })));
      expect(results.filter((r) => r.allowed)).toHaveLength(100);
      const refused = results.filter((r) => !r.allowed);
      expect(refused).toHaveLength(400);
      for (const r of refused) expect(r).toMatchObject({ allowed: false, retryAfterSeconds: 55 });
      expect((await limiter.consume({ now: HOUR + 5000, buckets: [bucket] })).windows[0]).toMatchObject({ remaining: 0 });
    });
  });
}
