import type { RuleInput } from "./rule-input.ts";

/**
 * Every endpoint has a rate limit (its own or the gateway's `defaults.rateLimit`, already merged
 * into the validated endpoint): an endpoint without one lets a single leaked token spend the
 * upstream's whole quota.
 */
export function everyEndpointRateLimited({ gateway }: RuleInput): string[] {
  return Object.values(gateway.endpoints)
    .filter((endpoint) => endpoint.rateLimit === undefined)
    .map((endpoint) => `endpoint '${endpoint.slug}' of gateway '${gateway.name}' has no rate limit; set rateLimit on it or defaults.rateLimit on the gateway`);
}
