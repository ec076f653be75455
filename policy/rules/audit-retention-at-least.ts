import type { GuardrailConfig, RuleInput } from "./rule-input.ts";

/**
 * Audit records are kept at least `minAuditRetentionDays`. A gateway deployed without an explicit
 * retention fails too: the check cannot be made, and guardrails fail closed.
 */
export function auditRetentionAtLeast({ gateway, deployment }: RuleInput, { minAuditRetentionDays }: GuardrailConfig): string[] {
  const days = deployment.auditRetentionDays;
  if (!Number.isFinite(days)) {
    return [`gateway '${gateway.name}' is deployed without auditRetentionDays; set it to at least ${minAuditRetentionDays}`];
  }
  if (days < minAuditRetentionDays) {
    return [`gateway '${gateway.name}' keeps audit records for ${days} days, below the minimum of ${minAuditRetentionDays}`];
  }
  return [];
}
