import type { RateLimit } from "../../schema/rate-limit.ts";
import type { Change } from "./change.ts";
import { code } from "./words.ts";

const FIELDS = [
  ["perMinute", (l: RateLimit) => l.perMinute],
  ["perHour", (l: RateLimit) => l.perHour],
  ["endpoint.perMinute", (l: RateLimit) => l.endpoint?.perMinute],
  ["endpoint.perHour", (l: RateLimit) => l.endpoint?.perHour],
] as const;

/** "perMinute 60, perHour 1000": the caps of a limit, named as in the definition. */
export function describeRateLimit(limit: RateLimit): string {
  return FIELDS.flatMap(([name, get]) => (get(limit) === undefined ? [] : [`${name} ${get(limit)}`])).join(", ");
}

/**
 * Rate limit changes of one endpoint, cap by cap. A higher cap or a cap taken away lets more
 * requests through (widening); a lower or new cap lets fewer (narrowing).
 */
export function diffRateLimit(slug: string, before: RateLimit | undefined, after: RateLimit | undefined): Change[] {
  const subject = `endpoint:${slug}`;
  const change = (effect: Change["effect"], text: string): Change => ({ effect, kind: "rate-limit", subject, text });
  if (!before && !after) return [];
  if (!after) return [change("widening", `rate limit removed from ${code(slug)} (was ${describeRateLimit(before!)})`)];
  if (!before) return [change("narrowing", `rate limit added to ${code(slug)} (${describeRateLimit(after)})`)];
  const changes: Change[] = [];
  for (const [name, get] of FIELDS) {
    const was = get(before);
    const now = get(after);
    if (was === now) continue;
    if (was === undefined) changes.push(change("narrowing", `rate limit ${name} on ${code(slug)} set to ${now}`));
    else if (now === undefined) changes.push(change("widening", `rate limit ${name} on ${code(slug)} removed (was ${was})`));
    else if (now > was) changes.push(change("widening", `rate limit ${name} on ${code(slug)} raised from ${was} to ${now}`));
    else changes.push(change("narrowing", `rate limit ${name} on ${code(slug)} lowered from ${was} to ${now}`));
  }
  return changes;
}
