import type { GuardrailConfig, RuleInput } from "./rule-input.ts";

/**
 * No endpoint waits longer than `maxTimeoutSeconds` for its upstream: long waits hold Lambda
 * concurrency, and API Gateway HTTP APIs end integrations at 30 s anyway.
 */
export function timeoutsAtMost({ gateway }: RuleInput, { maxTimeoutSeconds }: GuardrailConfig): string[] {
  return Object.values(gateway.endpoints)
    .filter((endpoint) => endpoint.timeoutSeconds > maxTimeoutSeconds)
    .map(
      (endpoint) =>
        `endpoint '${endpoint.slug}' of gateway '${gateway.name}' has timeoutSeconds ${endpoint.timeoutSeconds}, above the maximum of ${maxTimeoutSeconds}`,
    );
}
