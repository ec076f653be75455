import type { ResourceValidationArgs } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { GUARDRAILS } from "../../policy/guardrails.ts";
import { ruleInputFromProps, stackFromUrn } from "../../policy/rule-input-from-props.ts";
import { toPolicy } from "../../policy/to-policy.ts";
import { defineGateway } from "../../schema/define-gateway.ts";

const gateway = defineGateway({
  name: "acme",
  endpoints: {
    slow: { upstream: "https://api.example.com", methods: ["GET"], timeoutSeconds: 60 },
    internal: { upstream: "http://10.0.0.5", methods: ["GET"], rateLimit: { perMinute: 5 }, unsafeAllowPrivateNetworks: ["10.0.0.5/32"] },
  },
});

/** The props Pulumi hands a policy: the component's inputs after serialisation (plain JSON). */
const props = (extra: Record<string, unknown> = {}) => ({ definition: JSON.parse(JSON.stringify(gateway)) as unknown, auditRetentionDays: 14, ...extra });

function validate(name: string, args: { type?: string; props: Record<string, unknown>; urn?: string; config?: object }): string[] {
  const policy = toPolicy(GUARDRAILS.find((g) => g.name === name)!);
  const messages: string[] = [];
  const fake = {
    type: args.type ?? "gatehouse:aws:Gateway",
    props: args.props,
    urn: args.urn ?? "urn:pulumi:acme-prod::gateways::gatehouse:aws:Gateway::acme",
    getConfig: () => args.config ?? {},
  } as unknown as ResourceValidationArgs;
  const validation = policy.validateResource;
  if (typeof validation !== "function") throw new Error("expected one validation function");
  void validation(fake, (message) => messages.push(message));
  return messages;
}

describe("the policy pack wrapper", () => {
  it("reads the stack name from the URN", () => {
    expect(stackFromUrn("urn:pulumi:acme-prod::gateways::gatehouse:aws:Gateway::acme")).toBe("acme-prod");
    expect(stackFromUrn("not a urn")).toBe("");
  });

  it("reports each rule's messages for a Gateway component, with config defaults", () => {
    expect(validate("gatehouse-endpoint-rate-limited", { props: props() })).toEqual([
      "endpoint 'slow' of gateway 'acme' has no rate limit; set rateLimit on it or defaults.rateLimit on the gateway",
    ]);
    expect(validate("gatehouse-no-unsafe-in-production", { props: props() })).toEqual([
      "endpoint 'internal' of gateway 'acme' sets unsafeAllowPrivateNetworks (10.0.0.5/32); unsafe allowances are refused in production stack 'acme-prod'",
    ]);
    expect(validate("gatehouse-timeout-at-most", { props: props() })).toEqual([
      "endpoint 'slow' of gateway 'acme' has timeoutSeconds 60, above the maximum of 30",
    ]);
    expect(validate("gatehouse-timeout-at-most", { props: props(), config: { maxTimeoutSeconds: 60 } })).toEqual([]);
    expect(validate("gatehouse-audit-retention-at-least", { props: props() })).toEqual([
      "gateway 'acme' keeps audit records for 14 days, below the minimum of 30",
    ]);
    expect(validate("gatehouse-audit-retention-at-least", { props: props({ auditRetentionDays: undefined }) })).toEqual([
      "gateway 'acme' is deployed without auditRetentionDays; set it to at least 30",
    ]);
  });

  it("ignores other resource types and reports a missing definition once", () => {
    expect(validate("gatehouse-endpoint-rate-limited", { type: "aws:s3/bucket:Bucket", props: {} })).toEqual([]);
    expect(validate("gatehouse-endpoint-rate-limited", { props: { auditRetentionDays: 30 } })).toEqual([
      "the Gateway resource has no validated definition input (pass the object defineGateway returned)",
    ]);
    expect(ruleInputFromProps({ definition: { name: "x" } }, "").ok).toBe(false);
  });

  it("declares its config with the documented defaults", () => {
    const schemas = Object.fromEntries(GUARDRAILS.map(toPolicy).map((p) => [p.name, p.configSchema?.properties ?? null]));
    expect(schemas).toEqual({
      "gatehouse-endpoint-rate-limited": null,
      "gatehouse-no-unsafe-in-production": null,
      "gatehouse-timeout-at-most": { maxTimeoutSeconds: { type: "integer", minimum: 1, default: 30 } },
      "gatehouse-audit-retention-at-least": { minAuditRetentionDays: { type: "integer", minimum: 1, default: 30 } },
    });
  });
});
