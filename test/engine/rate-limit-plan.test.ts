import { describe, expect, it } from "vitest";
import { defineGateway } from "gatehouse-gateway";
import { rateLimitHeaders, rateLimitPlan } from "../../functions/engine/enforce-rate-limit.ts";
import type { TokenRecord } from "../../functions/ports/token-store.ts";

const gateway = defineGateway({
  name: "plans",
  endpoints: {
    a: { upstream: "https://a.example.com", methods: ["GET"], rateLimit: { perMinute: 5, perHour: 100, endpoint: { perMinute: 50 } } },
    b: { upstream: "https://b.example.com", methods: ["GET"], rateLimit: { perHour: 7 } },
    open: { upstream: "https://c.example.com", methods: ["GET"] },
  },
});
const record = (id: string) => ({ id, gatewayId: gateway.id }) as TokenRecord;

describe("rateLimitPlan", () => {
  it("builds each endpoint's buckets and RateLimit-Policy for the token, and reuses them for the same record and endpoint", () => {
    const token = record("tok_one");
    const a = rateLimitPlan(gateway, gateway.endpoints.a!, token);
    expect(a.buckets).toEqual([
      { key: `${gateway.id}/a/tok_one`, scope: "token", perMinute: 5, perHour: 100 },
      { key: `${gateway.id}/a/*`, scope: "endpoint", perMinute: 50, perHour: undefined },
    ]);
    expect(a.policy).toBe('"per-minute";q=5;w=60, "per-hour";q=100;w=3600, "endpoint-per-minute";q=50;w=60');
    expect(rateLimitPlan(gateway, gateway.endpoints.a!, token)).toBe(a);

    // The same token on another endpoint gets that endpoint's plan, and back again the first one's.
    const b = rateLimitPlan(gateway, gateway.endpoints.b!, token);
    expect(b.buckets).toEqual([{ key: `${gateway.id}/b/tok_one`, scope: "token", perMinute: undefined, perHour: 7 }]);
    expect(b.policy).toBe('"per-hour";q=7;w=3600');
    expect(rateLimitPlan(gateway, gateway.endpoints.a!, token)).toEqual(a);

    // Another token never shares a token bucket.
    expect(rateLimitPlan(gateway, gateway.endpoints.a!, record("tok_two")).buckets[0]!.key).toBe(`${gateway.id}/a/tok_two`);
    expect(rateLimitPlan(gateway, gateway.endpoints.open!, token)).toEqual({ buckets: [], policy: "" });
  });

  it("writes the RateLimit state of each window after the precomputed policy", () => {
    const headers = rateLimitHeaders(
      [
        { scope: "token", window: "minute", limit: 5, remaining: 4, resetSeconds: 12 },
        { scope: "endpoint", window: "hour", limit: 9, remaining: 0, resetSeconds: 3000 },
      ],
      "P",
    );
    expect(headers).toEqual({ "ratelimit-policy": "P", ratelimit: '"per-minute";r=4;t=12, "endpoint-per-hour";r=0;t=3000' });
    expect(rateLimitHeaders([], "P")).toEqual({});
  });
});
