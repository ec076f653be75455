import type { Gateway } from "../schema/gateway.ts";
import type { RuleInput } from "./rules/rule-input.ts";

/** Type token of the Gatehouse Pulumi component the guardrails check. */
export const GATEWAY_TYPE = "gatehouse:aws:Gateway";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The stack name in a resource URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackFromUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]*)::/.exec(urn);
  return match?.[1] ?? "";
}

/**
 * The rule input from a `Gateway` component's inputs: `definition` (the validated gateway) and
 * `auditRetentionDays`. A missing retention becomes NaN, which the retention rule reports; a
 * missing or malformed definition is one message instead of a crash in every rule.
 */
export function ruleInputFromProps(props: Record<string, unknown>, urn: string): { ok: true; input: RuleInput } | { ok: false; message: string } {
  const definition = props.definition;
  if (!isObject(definition) || typeof definition.name !== "string" || !isObject(definition.endpoints)) {
    return { ok: false, message: "the Gateway resource has no validated definition input (pass the object defineGateway returned)" };
  }
  const days = props.auditRetentionDays;
  return {
    ok: true,
    input: {
      gateway: definition as unknown as Gateway,
      deployment: { auditRetentionDays: typeof days === "number" ? days : Number.NaN },
      stackName: stackFromUrn(urn),
    },
  };
}
