import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { Guardrail } from "./guardrails.ts";
import { GATEWAY_TYPE, ruleInputFromProps } from "./rule-input-from-props.ts";
import { DEFAULT_GUARDRAIL_CONFIG, type GuardrailConfig } from "./rules/rule-input.ts";

/**
 * Wraps a plain guardrail rule as a Pulumi resource policy that looks only at Gatehouse `Gateway`
 * components. All the judgement is in the rule; this only adapts inputs and reports messages.
 */
export function toPolicy(guardrail: Guardrail): ResourceValidationPolicy {
  const properties: PolicyConfigSchema["properties"] = {};
  for (const key of guardrail.config) properties[key] = { type: "integer", minimum: 1, default: DEFAULT_GUARDRAIL_CONFIG[key] };
  return {
    name: guardrail.name,
    description: guardrail.description,
    enforcementLevel: "mandatory",
    ...(guardrail.config.length ? { configSchema: { properties } } : {}),
    validateResource: (args: ResourceValidationArgs, reportViolation: (message: string) => void) => {
      if (args.type !== GATEWAY_TYPE) return;
      const parsed = ruleInputFromProps(args.props, args.urn);
      if (!parsed.ok) return reportViolation(parsed.message);
      const config: GuardrailConfig = { ...DEFAULT_GUARDRAIL_CONFIG, ...args.getConfig<Partial<GuardrailConfig>>() };
      for (const message of guardrail.rule(parsed.input, config)) reportViolation(message);
    },
  };
}
