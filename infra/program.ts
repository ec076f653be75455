/**
 * The Pulumi program (Pulumi.yaml `main`): deploys every gateway definition in `gateways/`
 * (another folder with `pulumi config set gatewaysDir <folder>`), each as a `Gateway` component.
 * Secrets come from the stack's config (`pulumi config set --secret NAME value`).
 *
 * Run by Pulumi's nodejs runtime with `typescript: false` and `nodeargs: --import tsx`: tsx
 * loads this file and the definitions as they are written, like the `gatehouse` CLI does.
 */
import * as pulumi from "@pulumi/pulumi";
import { deployGateways, deploymentOptionsFromConfig } from "./deploy-gateways.ts";
import { loadGatewayFolder } from "./load-gateway-folder.ts";

const config = new pulumi.Config();
const definitions = await loadGatewayFolder(config.get("gatewaysDir") ?? "gateways");
const deployed = deployGateways(definitions, {
  secret: (name) => config.getSecret(name),
  options: deploymentOptionsFromConfig(config),
});

/** Stack output read by the CLI (`pulumi stack output --json > outputs.json`, then `--stack-outputs outputs.json`). */
export const gateways = deployed.outputs;
