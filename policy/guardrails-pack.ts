import { PolicyPack } from "@pulumi/policy";
import { GUARDRAILS } from "./guardrails.ts";
import { toPolicy } from "./to-policy.ts";

/** The name the pack reports under in `pulumi preview --policy-pack`. */
export const GUARDRAILS_PACK_NAME = "gatehouse-guardrails";

/**
 * Registers the Gatehouse guardrails as a Pulumi policy pack. Call it once from a policy pack's
 * entry file; `@pulumi/policy` must be installed beside it (it is a peer dependency).
 *
 * @example
 * // policy/index.mjs, with PulumiPolicy.yaml `main: index.mjs`
 * import { guardrailsPolicyPack } from "gatehouse-gateway/policy";
 * guardrailsPolicyPack();
 *
 * @default enforcementLevel "mandatory"
 */
export function guardrailsPolicyPack(options: { enforcementLevel?: "advisory" | "mandatory" } = {}): PolicyPack {
  return new PolicyPack(GUARDRAILS_PACK_NAME, {
    description: "Guardrails for Gatehouse gateways: rate limits, no unsafe allowances in production, bounded timeouts, audit retention.",
    enforcementLevel: options.enforcementLevel ?? "mandatory",
    policies: GUARDRAILS.map(toPolicy),
  });
}
