/**
 * RateLimiter: fixed windows aligned to the clock (minute, hour), checked and counted together.
 *
 * Contract:
 * - `consume` admits the request only if every window named in the request has room; then it
 *   counts one in each of them. A refused request counts nothing anywhere. Both happen
 *   atomically: no level of concurrency admits more than a cap.
 * - Refusal is a normal result (`allowed: false`) with `retryAfterSeconds`: the seconds until
 *   the request would be admitted (the end of the latest full window).
 * - A store failure rejects; the engine then refuses the request (503) and forwards nothing.
 * - Counters of past windows may be dropped (TTL); they are never read again.
 * - A limiter that decides in memory may answer at once (no promise); a store failure then throws.
 */
export interface RateLimiter {
  consume(request: RateLimitRequest): RateLimitResult | Promise<RateLimitResult>;
}

/** The windows one request must fit in. */
export interface RateLimitRequest {
  /** Epoch milliseconds of the request. */
  now: number;
  buckets: readonly RateLimitBucket[];
}

/** One counter family: a key (per token, or shared by the endpoint) and its caps. */
export interface RateLimitBucket {
  /** Stable key, e.g. `<gatewayId>/<slug>/tok_…` or `<gatewayId>/<slug>/*`. */
  key: string;
  scope: "token" | "endpoint";
  perMinute?: number | undefined;
  perHour?: number | undefined;
}

/** The state of one window after the decision. */
export interface WindowState {
  scope: "token" | "endpoint";
  window: "minute" | "hour";
  limit: number;
  /** Requests left in the window after this one (0 when refused by it). */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** The decision. */
export type RateLimitResult = { allowed: true; windows: WindowState[] } | { allowed: false; windows: WindowState[]; retryAfterSeconds: number };
