import * as pulumi from "@pulumi/pulumi";
import { deployGateways, deploymentOptionsFromConfig, type DeploymentOptions } from "../../infra/deploy-gateways.ts";
import { GATEWAY_TYPE } from "../../infra/gateway.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { ShadowResource } from "./infra-change.ts";
import { knownSecrets, maskShadowInputs } from "./mask-shadow-inputs.ts";

/** Stands in for a secret the stack config does not set: planning never needs a real value. */
const PLACEHOLDER = "gatehouse-diff-placeholder";

/**
 * A "shadow plan": the deploy program's own body (`deployGateways`, the `Gateway` component)
 * run in-process under Pulumi mocks for `gateways`, with no CLI, plugins or cloud. Deployment
 * options and secret values come from the Pulumi config as the real program reads them (absent
 * under a plain CLI run: defaults and placeholders), so both revisions are planned alike. Only
 * real resources are returned (the component's own inputs are the definition, which the
 * definition diff covers), secrets and ciphertexts masked. Runs must not overlap (Pulumi's state
 * is global); one after another is fine.
 */
export async function shadowPlan(gateways: Gateway[], overrides: DeploymentOptions = {}): Promise<ShadowResource[]> {
  const run = await runUnderMocks(() => {
    const config = new pulumi.Config();
    const deployed = deployGateways(gateways, {
      secret: (name) => config.getSecret(name) ?? pulumi.secret(PLACEHOLDER),
      options: { ...deploymentOptionsFromConfig(config), ...overrides },
    });
    return { gateways: deployed.outputs };
  });
  const known = knownSecrets(run.resources);
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  return run.resources
    .filter((r) => r.custom)
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, gateway: gatewayOf(r, byUrn), inputs: maskShadowInputs(r, known), archives: r.archives }));
}

/** The name of the nearest enclosing Gateway component, following parent URNs. */
function gatewayOf(resource: PlannedResource, byUrn: Map<string, PlannedResource>): string | null {
  const seen = new Set<string>();
  for (let parent = byUrn.get(resource.parent); parent && !seen.has(parent.urn); parent = byUrn.get(parent.parent)) {
    if (parent.type === GATEWAY_TYPE) return parent.name;
    seen.add(parent.urn);
  }
  return null;
}
