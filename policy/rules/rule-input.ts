import type { Gateway } from "../../schema/gateway.ts";

/** Deployment options of one `Gateway` component that the guardrails look at. */
export interface DeploymentOptions {
  /** Days audit records are kept (NaN when the component was given none). */
  auditRetentionDays: number;
}

/** Everything a guardrail rule sees: plain data, so rules are tested without Pulumi. */
export interface RuleInput {
  gateway: Gateway;
  deployment: DeploymentOptions;
  /** The Pulumi stack being deployed, e.g. `acme-prod`. */
  stackName: string;
}

/** The pack's configurable limits (Pulumi policy config). */
export interface GuardrailConfig {
  maxTimeoutSeconds: number;
  minAuditRetentionDays: number;
}

/** Limits used when the policy config sets none. */
export const DEFAULT_GUARDRAIL_CONFIG: GuardrailConfig = { maxTimeoutSeconds: 30, minAuditRetentionDays: 30 };

/** A guardrail: plain data in, one message per violation out (an empty list passes). */
export type Rule = (input: RuleInput, config: GuardrailConfig) => string[];
