import * as pulumi from "@pulumi/pulumi";
import type { Gateway as GatewayDefinition } from "../schema/gateway.ts";
import { secretNames } from "../schema/secret-names.ts";
import { Gateway } from "./gateway.ts";
import type { GatewayArgs } from "./gateway-args.ts";
import type { GatewayOutputs } from "./gateway-outputs.ts";

/** Deployment options shared by every gateway of a program (everything but the definition and its secrets). */
export type DeploymentOptions = Omit<GatewayArgs, "definition" | "secrets">;

/** How {@link deployGateways} finds values. */
export interface DeployGatewaysOptions {
  /** The value of a secret by name (the program: `config.getSecret(name)`); undefined when not set. */
  secret(name: string): pulumi.Input<string> | undefined;
  /** @default {} */
  options?: DeploymentOptions;
}

/**
 * The program's body: one {@link Gateway} component per definition, and the stack output
 * `gateways` (name to URLs, tables, key) the CLI reads with `--stack-outputs`. Every missing
 * secret of every gateway is named in one error, with the command that sets it.
 *
 * @example
 * const { outputs } = deployGateways(gateways, { secret: (n) => config.getSecret(n) });
 * export const gateways = outputs;
 */
export function deployGateways(
  definitions: GatewayDefinition[],
  how: DeployGatewaysOptions,
): { components: Record<string, Gateway>; outputs: pulumi.Output<Record<string, GatewayOutputs>> } {
  const seen = new Map<string, string>();
  for (const d of definitions) {
    const other = seen.get(d.id);
    if (other !== undefined) throw new Error(`gateways '${other}' and '${d.name}' have the same id ${d.id}; ids (and names) must be unique`);
    seen.set(d.id, d.name);
  }
  const missing = definitions.flatMap((d) =>
    secretNames(d)
      .filter((n) => how.secret(n) === undefined)
      .map((n) => `${n} (gateway ${d.name})`),
  );
  if (missing.length) {
    const names = [...new Set(missing.map((m) => m.split(" ")[0]!))];
    throw new Error(
      `missing secret${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}. Set each with: ${names.map((n) => `pulumi config set --secret ${n} <value>`).join("; ")}`,
    );
  }
  const components: Record<string, Gateway> = {};
  for (const definition of definitions) {
    const secrets = Object.fromEntries(secretNames(definition).map((n) => [n, how.secret(n)!]));
    components[definition.name] = new Gateway(definition.name, { ...how.options, definition, secrets });
  }
  const outputs = pulumi
    .all(Object.fromEntries(Object.entries(components).map(([name, c]) => [name, c.outputs])))
    .apply((all) => all as Record<string, GatewayOutputs>);
  return { components, outputs };
}

/**
 * Deployment options from the stack's config (`pulumi config set <key> <value>`):
 * `memorySize`, `architecture`, `runtime`, `logRetentionDays`, `auditRetentionDays`,
 * `deletionProtection`, `frontDoor` (`api-gateway` or `function-url`), `reservedConcurrency`,
 * `alarmTopicArn` (the SNS topic every gateway's alarms notify), `alarms` (`false` for none). Unset
 * keys keep the component's defaults (a `frontDoor` of another value is refused by the component).
 */
export function deploymentOptionsFromConfig(config: pulumi.Config): DeploymentOptions {
  const options: DeploymentOptions = {};
  const memorySize = config.getNumber("memorySize");
  if (memorySize !== undefined) options.memorySize = memorySize;
  const architecture = config.get("architecture");
  if (architecture !== undefined) options.architecture = architecture as NonNullable<DeploymentOptions["architecture"]>;
  const runtime = config.get("runtime");
  if (runtime !== undefined) options.runtime = runtime as NonNullable<DeploymentOptions["runtime"]>;
  const logRetentionDays = config.getNumber("logRetentionDays");
  if (logRetentionDays !== undefined) options.logRetentionDays = logRetentionDays;
  const auditRetentionDays = config.getNumber("auditRetentionDays");
  if (auditRetentionDays !== undefined) options.auditRetentionDays = auditRetentionDays;
  const deletionProtection = config.getBoolean("deletionProtection");
  if (deletionProtection !== undefined) options.deletionProtection = deletionProtection;
  const frontDoor = config.get("frontDoor");
  if (frontDoor !== undefined) options.frontDoor = frontDoor as NonNullable<DeploymentOptions["frontDoor"]>;
  const reservedConcurrency = config.getNumber("reservedConcurrency");
  if (reservedConcurrency !== undefined) options.reservedConcurrency = reservedConcurrency;
  const alarmTopicArn = config.get("alarmTopicArn");
  if (config.getBoolean("alarms") === false) options.alarms = false;
  else if (alarmTopicArn !== undefined) options.alarms = { topicArn: alarmTopicArn };
  return options;
}
