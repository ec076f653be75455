import { DefinitionError } from "../schema/definition-error.ts";
import { isValidatedGateway, validateGateway } from "../schema/define-gateway.ts";
import type { Gateway as GatewayDefinition } from "../schema/gateway.ts";
import { secretNames } from "../schema/secret-names.ts";
import { LAMBDA_MAX_REQUEST_BODY_BYTES } from "../functions/contracts/lambda-contract.ts";
import { GATEWAY_DEFAULTS, LOG_RETENTION_DAYS, type GatewayArgs } from "./gateway-args.ts";
import type { GatewaySettings } from "./gateway-scope.ts";
import { resolveAlarms, type AlarmSettings } from "./alarm-options.ts";

/**
 * Everything checked before the component registers anything, so a bad definition, option or
 * missing secret plans nothing: the validated definition, the settings, the secret names and the
 * alarm settings (null for `alarms: false`).
 */
export function prepareGateway(args: GatewayArgs): {
  definition: GatewayDefinition;
  settings: GatewaySettings;
  secretNames: string[];
  alarms: AlarmSettings | null;
} {
  const definition = validated(args.definition);
  const tooLarge = Object.values(definition.endpoints).filter((e) => e.maxRequestBytes > LAMBDA_MAX_REQUEST_BODY_BYTES);
  if (tooLarge.length) {
    throw new Error(
      `gateway '${definition.name}': ${tooLarge.map((e) => `endpoint '${e.slug}' has maxRequestBytes ${e.maxRequestBytes}`).join(", ")}, above the ${LAMBDA_MAX_REQUEST_BODY_BYTES} bytes ` +
        "a Lambda invocation can carry (6 MB payload, binary bodies base64-encoded); AWS would refuse such requests before Gatehouse sees them (no 413, no audit record). " +
        `Set maxRequestBytes to at most ${LAMBDA_MAX_REQUEST_BODY_BYTES} for AWS deploys`,
    );
  }
  const settings = resolveSettings(args);
  const alarms = resolveAlarms(args.alarms);
  const names = secretNames(definition);
  const missing = names.filter((n) => args.secrets?.[n] === undefined);
  if (missing.length) {
    throw new Error(
      `gateway '${definition.name}' needs the secret${missing.length === 1 ? "" : "s"} ${missing.join(", ")}: ` +
        missing.map((n) => `pulumi config set --secret ${n} <value>`).join("; "),
    );
  }
  return { definition, settings, secretNames: names, alarms };
}

/** The definition, validated: a plain object (e.g. JSON) is validated here, before any child exists. */
function validated(definition: GatewayDefinition): GatewayDefinition {
  if (isValidatedGateway(definition)) return definition;
  const result = validateGateway(definition);
  if (!result.ok) throw new DefinitionError(result.issues, (definition as { name?: string } | null)?.name);
  return result.gateway;
}

/** Options with defaults applied and checked. */
function resolveSettings(args: GatewayArgs): GatewaySettings {
  const s: GatewaySettings = {
    memorySize: args.memorySize ?? GATEWAY_DEFAULTS.memorySize,
    architecture: args.architecture ?? GATEWAY_DEFAULTS.architecture,
    runtime: args.runtime ?? GATEWAY_DEFAULTS.runtime,
    logRetentionDays: args.logRetentionDays ?? GATEWAY_DEFAULTS.logRetentionDays,
    auditRetentionDays: args.auditRetentionDays ?? GATEWAY_DEFAULTS.auditRetentionDays,
    deletionProtection: args.deletionProtection ?? GATEWAY_DEFAULTS.deletionProtection,
    throttle: args.throttle ?? GATEWAY_DEFAULTS.throttle,
    frontDoor: args.frontDoor ?? GATEWAY_DEFAULTS.frontDoor,
  };
  const problems: string[] = [];
  if (!["api-gateway", "function-url"].includes(s.frontDoor))
    problems.push(`frontDoor must be "api-gateway" or "function-url", not ${JSON.stringify(s.frontDoor)}`);
  else if (s.frontDoor === "function-url" && args.throttle !== undefined)
    problems.push(
      'throttle needs API Gateway: with frontDoor "function-url" there is no stage to throttle (cap the gateway with reservedConcurrency and rate limits)',
    );
  if (!Number.isInteger(s.memorySize) || s.memorySize < 128 || s.memorySize > 10_240)
    problems.push("memorySize must be a whole number of MB from 128 to 10240");
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(s.logRetentionDays))
    problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  if (!Number.isInteger(s.auditRetentionDays) || s.auditRetentionDays < 1) problems.push("auditRetentionDays must be a whole number of days, at least 1");
  if (s.runtime !== "nodejs24.x") problems.push('runtime must be "nodejs24.x"');
  if (!["arm64", "x86_64"].includes(s.architecture)) problems.push('architecture must be "arm64" or "x86_64"');
  if (problems.length) throw new Error(`Gateway options: ${problems.join("; ")}`);
  return s;
}
