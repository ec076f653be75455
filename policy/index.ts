/**
 * The Gatehouse guardrails for Pulumi CrossGuard (`gatehouse-gateway/policy`): the rules as plain
 * functions (unit-tested in test/policy/) and the pack that registers them.
 *
 * @example
 * import { guardrailsPolicyPack } from "gatehouse-gateway/policy";
 * guardrailsPolicyPack(); // then: pulumi preview --policy-pack <this folder>
 */
export { guardrailsPolicyPack, GUARDRAILS_PACK_NAME } from "./guardrails-pack.ts";
export { GUARDRAILS, type Guardrail } from "./guardrails.ts";
export { toPolicy } from "./to-policy.ts";
export { DEFAULT_GUARDRAIL_CONFIG, type GuardrailConfig, type Rule, type RuleInput } from "./rules/rule-input.ts";
