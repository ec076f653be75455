/**
 * The Gatehouse guardrails as a Pulumi policy pack:
 *   pulumi preview --policy-pack policy
 * The rules are plain functions in rules/ (unit-tested in test/policy/); this file only registers them.
 */
import { PolicyPack } from "@pulumi/policy";
import { GUARDRAILS } from "./guardrails.ts";
import { toPolicy } from "./to-policy.ts";

new PolicyPack("gatehouse-guardrails", {
  description: "Guardrails for Gatehouse gateways: rate limits, no unsafe allowances in production, bounded timeouts, audit retention.",
  enforcementLevel: "mandatory",
  policies: GUARDRAILS.map(toPolicy),
});
