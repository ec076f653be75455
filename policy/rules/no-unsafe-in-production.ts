import { isProductionStack } from "./is-production-stack.ts";
import type { RuleInput } from "./rule-input.ts";

/**
 * No endpoint field named `unsafe...` is switched on in a production stack (see
 * {@link isProductionStack}). Today that is `unsafeAllowPrivateNetworks`; the rule covers any
 * future `unsafe` switch by its name, which is the convention for dangerous settings.
 */
export function noUnsafeInProduction({ gateway, stackName }: RuleInput): string[] {
  if (!isProductionStack(stackName)) return [];
  const messages: string[] = [];
  for (const endpoint of Object.values(gateway.endpoints)) {
    for (const [field, value] of Object.entries(endpoint).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!field.startsWith("unsafe") || !isOn(value)) continue;
      const detail = Array.isArray(value) ? ` (${value.join(", ")})` : "";
      messages.push(
        `endpoint '${endpoint.slug}' of gateway '${gateway.name}' sets ${field}${detail}; unsafe allowances are refused in production stack '${stackName}'`,
      );
    }
  }
  return messages;
}

function isOn(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false;
}
