import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Endpoint } from "../schema/gateway.ts";
import type { TableNames } from "../functions/contracts/tables.ts";
import { createFunctionRole } from "./create-function-role.ts";
import { createGatewayTables } from "./create-gateway-tables.ts";
import type { FunctionBase } from "./create-gateway-function.ts";
import { createDoors } from "./create-doors.ts";
import { createAlarms } from "./create-alarms.ts";
import { createDashboard } from "./create-dashboard.ts";
import { createKeys } from "./create-keys.ts";
import { doorLayout } from "./door-layout.ts";
import { createLogGroups } from "./create-log-groups.ts";
import { createSecretCiphertexts } from "./create-secret-ciphertexts.ts";
import type { GatewayArgs, GatewayTransforms } from "./gateway-args.ts";
import type { GatewayOutputs } from "./gateway-outputs.ts";
import type { GatewayScope } from "./gateway-scope.ts";
import { lambdaArchiveOutput } from "./lambda-archive.ts";
import { splitReservedConcurrency } from "./reserved-concurrency.ts";
import { prepareGateway } from "./prepare-gateway.ts";

/** The component's type token. Part of every child's URN: never rename it without aliases. */
export const GATEWAY_TYPE = "gatehouse:aws:Gateway";

/**
 * One deployed gateway: KMS keys, DynamoDB tables, a least-privilege role, the Lambda function
 * (esbuild bundle + the definition) behind an HTTP API with payload 2.0, and, when an endpoint's
 * timeout is above 29 s, a second function on the same code behind a response-streaming Function
 * URL. With `frontDoor: "function-url"`, only that streaming function and its URL, for every
 * endpoint, and no API Gateway. CloudWatch alarms on the function's metrics (see `alarms`) and a
 * dashboard. Every child is parented to the component and named `<name>-<role>`.
 *
 * @example
 * import { Gateway } from "gatehouse-gateway/infra";
 * import payments from "./gateways/payments.ts";
 * const config = new pulumi.Config();
 * const gw = new Gateway("payments", {
 *   definition: payments,
 *   secrets: { STRIPE_BEARER: config.requireSecret("STRIPE_BEARER") },
 * });
 * export const url = gw.baseUrl;
 */
export class Gateway extends pulumi.ComponentResource {
  /** The HTTP API URL; with `frontDoor: "function-url"`, the Function URL. */
  readonly baseUrl: pulumi.Output<string>;
  /** The streaming Function URL, or null when no endpoint needs it (with `frontDoor: "function-url"`, the same as `baseUrl`). */
  readonly streamUrl: pulumi.Output<string | null>;
  /** Each endpoint's URL by slug. */
  readonly endpointUrls: pulumi.Output<Record<string, string>>;
  readonly tableNames: pulumi.Output<TableNames>;
  /** The envelope key's ARN. */
  readonly keyArn: pulumi.Output<string>;
  /** Everything above in the stack-outputs shape the CLI reads. */
  readonly outputs: pulumi.Output<GatewayOutputs>;
  /** The role policy document (JSON), for review and tests. */
  readonly policyJson: pulumi.Output<string>;

  constructor(name: string, args: GatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { definition, settings, secretNames, alarms: alarmSettings } = prepareGateway(args);
    super(
      GATEWAY_TYPE,
      name,
      {
        // Recorded as the component's inputs (policy packs read these names); never the secrets.
        definition,
        auditRetentionDays: settings.auditRetentionDays,
        logRetentionDays: settings.logRetentionDays,
        memorySize: settings.memorySize,
        architecture: settings.architecture,
        runtime: settings.runtime,
        deletionProtection: settings.deletionProtection,
        frontDoor: settings.frontDoor,
        secretNames,
      },
      opts,
    );
    const scope: GatewayScope = {
      name,
      definition,
      settings,
      transform: args.transform ?? {},
      tags: { ...args.tags, "gatehouse:gateway": definition.name },
      project: pulumi.getProject(),
      stack: pulumi.getStack(),
      parent: this,
    };
    const region = aws.getRegionOutput({}, { parent: this }).region;
    for (const endpoint of Object.values(definition.endpoints)) {
      for (const cidr of endpoint.unsafeAllowPrivateNetworks) {
        pulumi.log.warn(`gateway '${definition.name}' endpoint '${endpoint.slug}' may reach private network ${cidr} (unsafeAllowPrivateNetworks)`, this);
      }
    }

    const { tableKey, envelopeKey } = createKeys(scope);
    const { tables, tableNames } = createGatewayTables(scope, tableKey);
    const ciphertexts = createSecretCiphertexts(scope, envelopeKey, secretNames, args.secrets ?? {});
    const layout = doorLayout(settings.frontDoor, Object.values(definition.endpoints));
    const logs = createLogGroups(scope, layout);
    const { role, rolePolicy, policyJson } = createFunctionRole(scope, {
      region,
      tables,
      tableKey,
      envelopeKey,
      logGroups: [logs.api, logs.stream].filter((g): g is aws.cloudwatch.LogGroup => g !== undefined),
    });
    const base: FunctionBase = { code: lambdaArchiveOutput(definition, ciphertexts), role, rolePolicy, tableNames, envelopeKey };
    const reserved = splitReservedConcurrency(args.reservedConcurrency, { api: layout.apiGateway, stream: layout.streamFunction }, definition.name);
    const { baseUrl, streamUrl, functions, apiId } = createDoors(scope, base, layout, logs, reserved);
    const alarms = alarmSettings ? createAlarms(scope, alarmSettings, functions) : [];
    createDashboard(scope, { region, functions, apiId, alarms });

    this.policyJson = policyJson;
    this.baseUrl = baseUrl;
    this.streamUrl = streamUrl;
    this.endpointUrls = pulumi
      .all([baseUrl, streamUrl])
      .apply(([api, stream]) =>
        Object.fromEntries(
          Object.values(definition.endpoints).map((e: Endpoint) => [
            e.slug,
            `${layout.stream.includes(e) ? stream : api}/api/${definition.id}/proxy/${e.slug}`,
          ]),
        ),
      );
    this.tableNames = tableNames;
    this.keyArn = envelopeKey.arn;
    this.outputs = pulumi.all([region, baseUrl, streamUrl, this.endpointUrls, tableNames, envelopeKey.arn]).apply(
      ([r, url, stream, endpoints, names, keyArn]): GatewayOutputs => ({
        name: definition.name,
        id: definition.id,
        region: r,
        frontDoor: settings.frontDoor,
        baseUrl: url,
        streamUrl: stream,
        endpoints,
        tables: names,
        keyArn,
      }),
    );
    this.registerOutputs({
      baseUrl: this.baseUrl,
      streamUrl: this.streamUrl,
      endpointUrls: this.endpointUrls,
      tableNames: this.tableNames,
      keyArn: this.keyArn,
      outputs: this.outputs,
    });
  }
}

export type { GatewayTransforms };
