import * as z from "zod";

const cap = (unit: string) =>
  z
    .number({ error: `${unit} must be a whole number of requests` })
    .int(`${unit} must be a whole number of requests`)
    .min(1, `${unit} must be at least 1`)
    .max(10_000_000, `${unit} must be at most 10000000`);

const windows = {
  /** Requests admitted per clock-aligned minute. */
  perMinute: cap("perMinute").optional(),
  /** Requests admitted per clock-aligned hour. */
  perHour: cap("perHour").optional(),
};

/**
 * Fixed windows aligned to the clock. The caps apply to each client token separately; the
 * optional `endpoint` caps are shared by every token of the endpoint. Over a cap: 429 with
 * `Retry-After`, and a refused request counts against nothing.
 *
 * @example
 * rateLimit: { perMinute: 60, perHour: 1000, endpoint: { perMinute: 300 } }
 */
export const RateLimitSchema = z.strictObject({
  ...windows,
  /** Caps shared by all tokens of the endpoint. @default none */
  endpoint: z.strictObject(windows).optional(),
});

/** A rate limit as validated. */
export type RateLimit = z.output<typeof RateLimitSchema>;

/** Problems a rate limit has beyond its fields' own ranges, as [relative path, message]. */
export function rateLimitProblems(limit: RateLimit): Array<[path: string[], message: string]> {
  const problems: Array<[string[], string]> = [];
  const check = (prefix: string[], w: { perMinute?: number | undefined; perHour?: number | undefined }) => {
    if (w.perMinute !== undefined && w.perHour !== undefined && w.perMinute > w.perHour) {
      problems.push([[...prefix, "perMinute"], `perMinute (${w.perMinute}) is above perHour (${w.perHour}); the hour cap would make it unreachable`]);
    }
  };
  check([], limit);
  if (limit.endpoint) check(["endpoint"], limit.endpoint);
  const any = [limit.perMinute, limit.perHour, limit.endpoint?.perMinute, limit.endpoint?.perHour].some((v) => v !== undefined);
  if (!any) problems.push([[], "a rate limit needs at least one of perMinute, perHour, endpoint.perMinute, endpoint.perHour"]);
  return problems;
}
