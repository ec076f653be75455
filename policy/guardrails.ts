import { auditRetentionAtLeast } from "./rules/audit-retention-at-least.ts";
import { everyEndpointRateLimited } from "./rules/every-endpoint-rate-limited.ts";
import { noUnsafeInProduction } from "./rules/no-unsafe-in-production.ts";
import type { GuardrailConfig, Rule } from "./rules/rule-input.ts";
import { timeoutsAtMost } from "./rules/timeouts-at-most.ts";

/** One guardrail as the pack publishes it: a name, a sentence, its rule and the config it reads. */
export interface Guardrail {
  name: string;
  description: string;
  rule: Rule;
  /** Policy config keys this rule reads (their defaults come from DEFAULT_GUARDRAIL_CONFIG). */
  config: Array<keyof GuardrailConfig>;
}

/** The Gatehouse guardrails, in the order Pulumi reports them. */
export const GUARDRAILS: Guardrail[] = [
  {
    name: "gatehouse-endpoint-rate-limited",
    description: "Every Gatehouse endpoint has a rate limit.",
    rule: everyEndpointRateLimited,
    config: [],
  },
  {
    name: "gatehouse-no-unsafe-in-production",
    description: "No unsafe allowance (such as unsafeAllowPrivateNetworks) in a stack whose name contains 'prod' (not 'preprod' or 'nonprod').",
    rule: noUnsafeInProduction,
    config: [],
  },
  {
    name: "gatehouse-timeout-at-most",
    description: "No Gatehouse endpoint waits longer than maxTimeoutSeconds (default 30) for its upstream.",
    rule: timeoutsAtMost,
    config: ["maxTimeoutSeconds"],
  },
  {
    name: "gatehouse-audit-retention-at-least",
    description: "Gatehouse audit records are kept at least minAuditRetentionDays (default 30).",
    rule: auditRetentionAtLeast,
    config: ["minAuditRetentionDays"],
  },
];
