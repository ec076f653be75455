import { describe, expect, it } from "vitest";
import { auditRetentionAtLeast } from "../../policy/rules/audit-retention-at-least.ts";
import { everyEndpointRateLimited } from "../../policy/rules/every-endpoint-rate-limited.ts";
import { isProductionStack } from "../../policy/rules/is-production-stack.ts";
import { noUnsafeInProduction } from "../../policy/rules/no-unsafe-in-production.ts";
import { DEFAULT_GUARDRAIL_CONFIG, type RuleInput } from "../../policy/rules/rule-input.ts";
import { timeoutsAtMost } from "../../policy/rules/timeouts-at-most.ts";
import { defineGateway } from "../../schema/define-gateway.ts";
import type { GatewayInput } from "../../schema/gateway.ts";

const config = DEFAULT_GUARDRAIL_CONFIG;

function input(edit: (d: GatewayInput) => void = () => {}, options: Partial<Omit<RuleInput, "gateway">> = {}): RuleInput {
  const definition: GatewayInput = {
    name: "acme",
    endpoints: {
      github: { upstream: "https://api.github.com", methods: ["GET"], rateLimit: { perMinute: 60 }, timeoutSeconds: 10 },
      stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET", "POST"], rateLimit: { perHour: 1000 } },
    },
  };
  edit(definition);
  return { gateway: defineGateway(definition), deployment: { auditRetentionDays: 90 }, stackName: "acme-dev", ...options };
}

describe("every endpoint is rate-limited", () => {
  it("passes when every endpoint has a limit, its own or the defaults'", () => {
    expect(everyEndpointRateLimited(input())).toEqual([]);
    expect(everyEndpointRateLimited(input((d) => ((d.defaults = { rateLimit: { perMinute: 5 } }), delete d.endpoints.stripe!.rateLimit)))).toEqual([]);
  });

  it("names each endpoint without one", () => {
    expect(everyEndpointRateLimited(input((d) => delete d.endpoints.stripe!.rateLimit))).toEqual([
      "endpoint 'stripe' of gateway 'acme' has no rate limit; set rateLimit on it or defaults.rateLimit on the gateway",
    ]);
  });
});

describe("no unsafe allowances in production", () => {
  const internal = (d: GatewayInput) =>
    (d.endpoints.internal = {
      upstream: "http://10.0.0.5/api",
      methods: ["GET"],
      rateLimit: { perMinute: 5 },
      unsafeAllowPrivateNetworks: ["10.0.0.5/32", "10.0.1.0/24"],
    });

  it("passes in a production stack without allowances, and outside production with them", () => {
    expect(noUnsafeInProduction(input(() => {}, { stackName: "acme-prod" }))).toEqual([]);
    expect(noUnsafeInProduction(input(internal, { stackName: "acme-preprod" }))).toEqual([]);
  });

  it("fails in a production stack with an allowance", () => {
    expect(noUnsafeInProduction(input(internal, { stackName: "Production" }))).toEqual([
      "endpoint 'internal' of gateway 'acme' sets unsafeAllowPrivateNetworks (10.0.0.5/32, 10.0.1.0/24); unsafe allowances are refused in production stack 'Production'",
    ]);
  });

  it.each([
    ["prod", true],
    ["acme-prod", true],
    ["prod-eu-1", true],
    ["Production", true],
    ["acmeprod", true],
    ["PROD_EU", true],
    ["product-dev", true],
    ["preprod", false],
    ["acme-pre-prod", false],
    ["nonprod", false],
    ["non_prod", false],
    ["staging", false],
    ["dev", false],
    ["", false],
  ])("stack %j is production: %s", (name, expected) => {
    expect(isProductionStack(name)).toBe(expected);
  });
});

describe("timeouts at most the configured value", () => {
  it("passes at the limit (the default timeout is 30 s)", () => {
    expect(timeoutsAtMost(input(), config)).toEqual([]);
    expect(
      timeoutsAtMost(
        input((d) => (d.endpoints.github!.timeoutSeconds = 30)),
        config,
      ),
    ).toEqual([]);
  });

  it("fails above the limit, and honours a configured limit", () => {
    expect(
      timeoutsAtMost(
        input((d) => (d.endpoints.github!.timeoutSeconds = 31)),
        config,
      ),
    ).toEqual(["endpoint 'github' of gateway 'acme' has timeoutSeconds 31, above the maximum of 30"]);
    expect(timeoutsAtMost(input(), { ...config, maxTimeoutSeconds: 20 })).toEqual([
      "endpoint 'stripe' of gateway 'acme' has timeoutSeconds 29, above the maximum of 20",
    ]);
  });
});

describe("audit retention at least the configured days", () => {
  it("passes at or above the minimum", () => {
    expect(
      auditRetentionAtLeast(
        input(() => {}, { deployment: { auditRetentionDays: 30 } }),
        config,
      ),
    ).toEqual([]);
  });

  it("fails below the minimum, and honours a configured minimum", () => {
    expect(
      auditRetentionAtLeast(
        input(() => {}, { deployment: { auditRetentionDays: 7 } }),
        config,
      ),
    ).toEqual(["gateway 'acme' keeps audit records for 7 days, below the minimum of 30"]);
    expect(auditRetentionAtLeast(input(), { ...config, minAuditRetentionDays: 365 })).toEqual([
      "gateway 'acme' keeps audit records for 90 days, below the minimum of 365",
    ]);
  });

  it("fails closed when the retention is not given", () => {
    expect(
      auditRetentionAtLeast(
        input(() => {}, { deployment: { auditRetentionDays: Number.NaN } }),
        config,
      ),
    ).toEqual(["gateway 'acme' is deployed without auditRetentionDays; set it to at least 30"]);
  });
});
