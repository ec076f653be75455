import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { RateLimitBucket, RateLimiter, WindowState } from "../ports/rate-limiter.ts";
import { errorMessage } from "../../schema/error-message.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

/** The buckets a request of this token on this endpoint must fit in (none when unlimited). */
export function rateLimitBuckets(gateway: Gateway, endpoint: Endpoint, tokenId: string): RateLimitBucket[] {
  const limit = endpoint.rateLimit;
  if (!limit) return [];
  const buckets: RateLimitBucket[] = [];
  const base = `${gateway.id}/${endpoint.slug}`;
  if (limit.perMinute !== undefined || limit.perHour !== undefined) {
    buckets.push({ key: `${base}/${tokenId}`, scope: "token", perMinute: limit.perMinute, perHour: limit.perHour });
  }
  if (limit.endpoint && (limit.endpoint.perMinute !== undefined || limit.endpoint.perHour !== undefined)) {
    buckets.push({ key: `${base}/*`, scope: "endpoint", perMinute: limit.endpoint.perMinute, perHour: limit.endpoint.perHour });
  }
  return buckets;
}

const policyName = (w: WindowState) => `${w.scope === "endpoint" ? "endpoint-" : ""}per-${w.window}`;

/**
 * `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-11, both
 * Structured Field lists), sent on admitted and refused responses alike.
 */
export function rateLimitHeaders(windows: WindowState[]): Record<string, string> {
  if (windows.length === 0) return {};
  return {
    "ratelimit-policy": windows.map((w) => `"${policyName(w)}";q=${w.limit};w=${w.window === "minute" ? 60 : 3600}`).join(", "),
    ratelimit: windows.map((w) => `"${policyName(w)}";r=${w.remaining};t=${w.resetSeconds}`).join(", "),
  };
}

/** Checks and counts the request; over a cap it is a 429 refusal with `Retry-After`; a store failure refuses (fails closed). */
export async function enforceRateLimit(
  limiter: RateLimiter,
  buckets: RateLimitBucket[],
  now: number,
): Promise<StepResult<{ headers: Record<string, string> }>> {
  if (buckets.length === 0) return { ok: true, headers: {} };
  let result;
  try {
    result = await limiter.consume({ now, buckets });
  } catch (error) {
    return refused(refuse("STORE_UNAVAILABLE", `rate limiter failed: ${errorMessage(error)}`));
  }
  const headers = rateLimitHeaders(result.windows);
  if (result.allowed) return { ok: true, headers };
  const full = result.windows.filter((w) => w.remaining === 0).map(policyName);
  return {
    ok: false,
    refusal: refuse("RATE_LIMITED", `over ${full.join(", ") || "a cap"}`, {
      headers: { ...headers, "retry-after": String(result.retryAfterSeconds) },
      extra: { violatedPolicies: full, retryAfterSeconds: result.retryAfterSeconds },
    }),
  };
}
