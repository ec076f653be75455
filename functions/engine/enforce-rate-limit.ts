import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { RateLimitBucket, RateLimiter, RateLimitResult, WindowState } from "../ports/rate-limiter.ts";
import type { TokenRecord } from "../ports/token-store.ts";
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

/** What a token's requests on one endpoint are counted in: the buckets, and the `RateLimit-Policy` field they give. */
export interface RateLimitPlan {
  readonly buckets: readonly RateLimitBucket[];
  /** The field's value, or "" without buckets. */
  readonly policy: string;
}

const NO_LIMIT: RateLimitPlan = Object.freeze({ buckets: Object.freeze([]), policy: "" });

/**
 * The plan of the last endpoint each token record was used on. A record lives in the token
 * cache for its TTL and is then replaced (the WeakMap lets the old one go), so the bucket keys
 * and the policy field are built about once per token and TTL rather than per request, and the
 * limiter is handed the same key strings each time (their hashes are kept by V8).
 */
const plans = new WeakMap<TokenRecord, { endpoint: Endpoint; plan: RateLimitPlan }>();

/** The rate-limit plan of `record`'s requests on `endpoint` (see {@link RateLimitPlan}). */
export function rateLimitPlan(gateway: Gateway, endpoint: Endpoint, record: TokenRecord): RateLimitPlan {
  if (!endpoint.rateLimit) return NO_LIMIT;
  const last = plans.get(record);
  if (last !== undefined && last.endpoint === endpoint) return last.plan;
  const buckets = Object.freeze(rateLimitBuckets(gateway, endpoint, record.id));
  const plan: RateLimitPlan = Object.freeze({ buckets, policy: policyField(buckets) });
  plans.set(record, { endpoint, plan });
  return plan;
}

const POLICY_NAMES = {
  token: { minute: "per-minute", hour: "per-hour" },
  endpoint: { minute: "endpoint-per-minute", hour: "endpoint-per-hour" },
} as const;

const policyName = (w: Pick<WindowState, "scope" | "window">) => POLICY_NAMES[w.scope][w.window];

/** `RateLimit-Policy` of the buckets' capped windows, in the limiter's order (bucket order, minute before hour). */
function policyField(buckets: readonly RateLimitBucket[]): string {
  const items: string[] = [];
  for (const bucket of buckets) {
    if (bucket.perMinute !== undefined) items.push(`"${POLICY_NAMES[bucket.scope].minute}";q=${bucket.perMinute};w=60`);
    if (bucket.perHour !== undefined) items.push(`"${POLICY_NAMES[bucket.scope].hour}";q=${bucket.perHour};w=3600`);
  }
  return items.join(", ");
}

/**
 * `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-11, both
 * Structured Field lists), sent on admitted and refused responses alike. The policy comes
 * precomputed from the plan; only the state is built per request.
 */
export function rateLimitHeaders(windows: readonly WindowState[], policy: string): Record<string, string> {
  if (windows.length === 0) return {};
  let state = "";
  for (const w of windows) state += `${state === "" ? "" : ", "}"${policyName(w)}";r=${w.remaining};t=${w.resetSeconds}`;
  return { "ratelimit-policy": policy, ratelimit: state };
}

/** A request's rate-limit step: its RateLimit fields, or the refusal. */
export type RateLimitVerdict = StepResult<{ headers: Record<string, string> }>;

const UNLIMITED: RateLimitVerdict = Object.freeze({ ok: true, headers: Object.freeze({}) as Record<string, string> });

/**
 * Checks and counts the request; over a cap it is a 429 refusal with `Retry-After`; a store
 * failure refuses (fails closed). Answers at once when the limiter does (the memory store).
 */
export function enforceRateLimit(limiter: RateLimiter, plan: RateLimitPlan, now: number): RateLimitVerdict | Promise<RateLimitVerdict> {
  if (plan.buckets.length === 0) return UNLIMITED;
  let result: RateLimitResult | Promise<RateLimitResult>;
  try {
    result = limiter.consume({ now, buckets: plan.buckets });
  } catch (error) {
    return storeFailed(error);
  }
  if (result instanceof Promise) return result.then((settled) => verdict(settled, plan), storeFailed);
  return verdict(result, plan);
}

function storeFailed(error: unknown): RateLimitVerdict {
  return refused(refuse("STORE_UNAVAILABLE", `rate limiter failed: ${errorMessage(error)}`));
}

function verdict(result: RateLimitResult, plan: RateLimitPlan): RateLimitVerdict {
  const headers = rateLimitHeaders(result.windows, plan.policy);
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
