import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DefinitionError } from "../schema/definition-error.ts";
import { isValidatedGateway, validateGateway } from "../schema/define-gateway.ts";
import type { Endpoint, Gateway as GatewayDefinition } from "../schema/gateway.ts";
import { TABLES, type TableKey, type TableNames } from "../functions/contracts/tables.ts";
import { secretContext, secretNames } from "../schema/secret-names.ts";
import { ENV } from "../functions/contracts/lambda-contract.ts";
import { ACCESS_LOG_FORMAT } from "./access-log-format.ts";
import { GATEWAY_DEFAULTS, LOG_RETENTION_DAYS, type GatewayArgs, type GatewayTransforms, type Transform } from "./gateway-args.ts";
import type { GatewayOutputs } from "./gateway-outputs.ts";
import { lambdaArchive } from "./lambda-archive.ts";
import { rolePolicyDocument } from "./role-policy.ts";
import { tableArgs } from "./table-args.ts";
import { API_FUNCTION_MIN_SECONDS, functionTimeoutSeconds, HTTP_API_MAX_INTEGRATION_MS, integrationTimeoutMs, splitByDoor } from "./timeouts.ts";

/** The component's type token. Part of every child's URN: never rename it without aliases. */
export const GATEWAY_TYPE = "gatehouse:aws:Gateway";

/**
 * One deployed gateway: KMS keys, DynamoDB tables, a least-privilege role, the Lambda function
 * (esbuild bundle + the definition) behind an HTTP API with payload 2.0, and, when an endpoint's
 * timeout is above 29 s, a second function on the same code behind a response-streaming Function
 * URL. Every child is parented to the component and named `<name>-<role>`.
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
  /** The HTTP API URL. */
  readonly baseUrl: pulumi.Output<string>;
  /** The streaming Function URL, or null when no endpoint needs it. */
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
    const definition = validated(args.definition);
    const settings = resolveSettings(args);
    const names = secretNames(definition);
    // Checked before anything is registered, so a missing secret plans nothing.
    const missing = names.filter((n) => args.secrets?.[n] === undefined);
    if (missing.length) {
      throw new Error(
        `gateway '${definition.name}' needs the secret${missing.length === 1 ? "" : "s"} ${missing.join(", ")}: ` +
          missing.map((n) => `pulumi config set --secret ${n} <value>`).join("; "),
      );
    }
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
        secretNames: names,
      },
      opts,
    );
    const parent = this;
    const t = args.transform ?? {};
    const tags = { ...args.tags, "gatehouse:gateway": definition.name };
    const stack = pulumi.getStack();
    const region = aws.getRegionOutput({}, { parent }).region;

    for (const endpoint of Object.values(definition.endpoints)) {
      for (const cidr of endpoint.unsafeAllowPrivateNetworks) {
        pulumi.log.warn(`gateway '${definition.name}' endpoint '${endpoint.slug}' may reach private network ${cidr} (unsafeAllowPrivateNetworks)`, this);
      }
    }

    // Keys: one only DynamoDB uses, one for our envelope encryption (its grant is conditioned on
    // the encryption context, which DynamoDB's own calls could not satisfy).
    const key = (role: string, description: string) =>
      new aws.kms.Key(`${name}-${role}`, apply(t.key, { description, enableKeyRotation: true, deletionWindowInDays: 30, tags }, `${name}-${role}`), { parent });
    const tableKey = key("table-key", `Gatehouse ${definition.name}: DynamoDB encryption`);
    const envelopeKey = key("envelope-key", `Gatehouse ${definition.name}: secrets and OAuth tokens`);
    for (const [role, k] of [["table-key", tableKey], ["envelope-key", envelopeKey]] as const) {
      new aws.kms.Alias(`${name}-${role}-alias`, apply(t.alias, { name: `alias/gatehouse/${stack}/${definition.name}/${role}`, targetKeyId: k.keyId }, `${name}-${role}-alias`), { parent });
    }

    const tables = {} as Record<TableKey, aws.dynamodb.Table>;
    for (const tableKeyName of Object.keys(TABLES) as TableKey[]) {
      const def = TABLES[tableKeyName];
      const logical = `${name}-${def.suffix}`;
      tables[tableKeyName] = new aws.dynamodb.Table(
        logical,
        apply(t.table, tableArgs(def, { kmsKeyArn: tableKey.arn, deletionProtection: settings.deletionProtection, tags }), logical),
        { parent },
      );
    }
    const tableNames = pulumi.output(mapValues(tables, (table) => table.name)) as pulumi.Output<TableNames>;

    // Secrets: encrypted by KMS at deploy time under the context the function decrypts with.
    const ciphertexts: Record<string, pulumi.Output<string>> = {};
    for (const secret of names) {
      const logical = `${name}-secret-${secret.toLowerCase().replace(/_/g, "-")}`;
      const ct = new aws.kms.Ciphertext(
        logical,
        apply(t.ciphertext, { keyId: envelopeKey.keyId, plaintext: pulumi.secret(args.secrets![secret]!), context: secretContext(definition.id, secret) }, logical),
        { parent },
      );
      ciphertexts[secret] = ct.ciphertextBlob;
    }

    const doors = splitByDoor(Object.values(definition.endpoints));
    const logGroup = (role: string) =>
      new aws.cloudwatch.LogGroup(
        `${name}-${role}-logs`,
        apply(t.logGroup, { name: `/gatehouse/${stack}/${definition.name}/${role}`, retentionInDays: settings.logRetentionDays, tags }, `${name}-${role}-logs`),
        { parent },
      );
    const apiLogs = logGroup("api");
    const streamLogs = doors.stream.length ? logGroup("stream") : undefined;
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      apply(t.logGroup, { name: `/aws/vendedlogs/gatehouse/${stack}/${definition.name}/access`, retentionInDays: settings.logRetentionDays, tags }, `${name}-access-logs`),
      { parent },
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      apply(
        t.role,
        {
          description: `Gatehouse ${definition.name} function`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
          }),
          tags,
        },
        `${name}-role`,
      ),
      { parent },
    );
    this.policyJson = rolePolicyDocument({
      gatewayId: definition.id,
      region,
      tableArns: mapValues(tables, (table) => table.arn),
      usesConnections: Object.keys(definition.connections).length > 0,
      envelopeKeyArn: envelopeKey.arn,
      tableKeyArn: tableKey.arn,
      logGroupArns: [apiLogs.arn, ...(streamLogs ? [streamLogs.arn] : [])],
    });
    const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, apply(t.rolePolicy, { role: role.id, policy: this.policyJson }, `${name}-role-policy`), { parent });

    const code = lambdaArchive(definition);
    const environment = (door: "api" | "stream", extra: Record<string, pulumi.Input<string>> = {}) => ({
      variables: {
        [ENV.tables]: pulumi.jsonStringify(tableNames),
        [ENV.keyArn]: envelopeKey.arn,
        [ENV.secrets]: pulumi.jsonStringify(ciphertexts),
        [ENV.auditRetentionDays]: String(settings.auditRetentionDays),
        [ENV.frontDoor]: door,
        ...extra,
      },
    });
    const lambda = (door: "api" | "stream", handler: string, timeout: number, logs: aws.cloudwatch.LogGroup, extra?: Record<string, pulumi.Input<string>>) =>
      new aws.lambda.Function(
        `${name}-${door}`,
        apply(
          t.function,
          {
            description: `Gatehouse ${definition.name} (${door === "api" ? "API Gateway" : "streaming Function URL"})`,
            runtime: settings.runtime,
            architectures: [settings.architecture],
            handler,
            code,
            role: role.arn,
            memorySize: settings.memorySize,
            timeout,
            ...(args.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
            loggingConfig: { logFormat: "JSON", logGroup: logs.name },
            environment: environment(door, extra),
            tags,
          },
          `${name}-${door}`,
        ),
        { parent, dependsOn: [rolePolicy, logs] },
      );

    // The streaming door, only when an endpoint needs more than API Gateway's 30 s.
    let streamUrl: pulumi.Output<string | null> = pulumi.output(null);
    if (streamLogs) {
      const streamFn = lambda("stream", "index.streamHandler", functionTimeoutSeconds(doors.stream), streamLogs);
      const url = new aws.lambda.FunctionUrl(
        `${name}-stream-url`,
        // NONE: clients authenticate with their Gatehouse bearer token, which the engine checks
        // (AWS_IAM would need SigV4 in the same Authorization header).
        apply(t.functionUrl, { functionName: streamFn.name, authorizationType: "NONE", invokeMode: "RESPONSE_STREAM" }, `${name}-stream-url`),
        { parent },
      );
      // Since October 2025 a public Function URL needs both permissions.
      new aws.lambda.Permission(
        `${name}-stream-url-invoke`,
        apply(t.permission, { action: "lambda:InvokeFunctionUrl", function: streamFn.name, principal: "*", functionUrlAuthType: "NONE" }, `${name}-stream-url-invoke`),
        { parent },
      );
      new aws.lambda.Permission(
        `${name}-stream-invoke`,
        apply(t.permission, { action: "lambda:InvokeFunction", function: streamFn.name, principal: "*", invokedViaFunctionUrl: true }, `${name}-stream-invoke`),
        { parent },
      );
      streamUrl = url.functionUrl.apply((u) => u.replace(/\/$/, ""));
    }

    const apiFn = lambda(
      "api",
      "index.handler",
      functionTimeoutSeconds(doors.api, API_FUNCTION_MIN_SECONDS),
      apiLogs,
      streamLogs ? { [ENV.streamUrl]: streamUrl.apply((u) => u ?? "") } : {},
    );
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      apply(t.api, { protocolType: "HTTP", description: `Gatehouse ${definition.name}`, tags }, `${name}-api`),
      { parent },
    );
    const integration = (logical: string, timeoutMilliseconds: number) =>
      new aws.apigatewayv2.Integration(
        logical,
        apply(
          t.integration,
          {
            apiId: api.id,
            integrationType: "AWS_PROXY",
            integrationMethod: "POST",
            integrationUri: apiFn.arn,
            // The provider's default is 1.0; the front door speaks 2.0 only.
            payloadFormatVersion: "2.0",
            timeoutMilliseconds,
          },
          logical,
        ),
        { parent },
      );
    const route = (logical: string, routeKey: string, target: aws.apigatewayv2.Integration) =>
      new aws.apigatewayv2.Route(
        logical,
        apply(t.route, { apiId: api.id, routeKey, target: pulumi.interpolate`integrations/${target.id}` }, logical),
        { parent },
      );
    // Everything under /api without a route of its own (OAuth pages, unknown paths answered 404,
    // streaming-door endpoints answered 421) goes to the catch-all.
    const routes = [route(`${name}-route-default`, "ANY /api/{proxy+}", integration(`${name}-integration-default`, HTTP_API_MAX_INTEGRATION_MS))];
    // Each API-door endpoint gets its own integration, so its timeout follows its definition.
    for (const endpoint of doors.api) {
      const target = integration(`${name}-${endpoint.slug}-integration`, integrationTimeoutMs(endpoint));
      const base = `/api/${definition.id}/proxy/${endpoint.slug}`;
      routes.push(route(`${name}-${endpoint.slug}-route`, `ANY ${base}`, target), route(`${name}-${endpoint.slug}-route-tail`, `ANY ${base}/{proxy+}`, target));
    }
    const throttle = settings.throttle;
    new aws.apigatewayv2.Stage(
      `${name}-stage`,
      apply(
        t.stage,
        {
          apiId: api.id,
          // $default keeps the stage name out of rawPath.
          name: "$default",
          autoDeploy: true,
          defaultRouteSettings: { throttlingRateLimit: throttle.rateLimit, throttlingBurstLimit: throttle.burstLimit, detailedMetricsEnabled: false },
          accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
          tags,
        },
        `${name}-stage`,
      ),
      { parent, dependsOn: routes },
    );
    new aws.lambda.Permission(
      `${name}-api-invoke`,
      apply(
        t.permission,
        { action: "lambda:InvokeFunction", function: apiFn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*/api/*` },
        `${name}-api-invoke`,
      ),
      { parent },
    );

    this.baseUrl = api.apiEndpoint.apply((u) => u.replace(/\/$/, ""));
    this.streamUrl = streamUrl;
    this.endpointUrls = pulumi.all([this.baseUrl, streamUrl]).apply(([base, stream]) =>
      Object.fromEntries(
        Object.values(definition.endpoints).map((e: Endpoint) => [e.slug, `${doors.stream.includes(e) ? stream : base}/api/${definition.id}/proxy/${e.slug}`]),
      ),
    );
    this.tableNames = tableNames;
    this.keyArn = envelopeKey.arn;
    this.outputs = pulumi.all([region, this.baseUrl, streamUrl, this.endpointUrls, tableNames, envelopeKey.arn]).apply(
      ([r, baseUrl, stream, endpoints, names, keyArn]): GatewayOutputs => ({
        name: definition.name,
        id: definition.id,
        region: r,
        baseUrl,
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

/** The definition, validated: a plain object (e.g. JSON) is validated here, before any child exists. */
function validated(definition: GatewayDefinition): GatewayDefinition {
  if (isValidatedGateway(definition)) return definition;
  const result = validateGateway(definition);
  if (!result.ok) throw new DefinitionError(result.issues, (definition as { name?: string } | null)?.name);
  return result.gateway;
}

type Settings = Required<Pick<GatewayArgs, "memorySize" | "architecture" | "runtime" | "logRetentionDays" | "auditRetentionDays" | "deletionProtection" | "throttle">>;

/** Options with defaults applied and checked, so a bad value fails before anything is planned. */
function resolveSettings(args: GatewayArgs): Settings {
  const s: Settings = {
    memorySize: args.memorySize ?? GATEWAY_DEFAULTS.memorySize,
    architecture: args.architecture ?? GATEWAY_DEFAULTS.architecture,
    runtime: args.runtime ?? GATEWAY_DEFAULTS.runtime,
    logRetentionDays: args.logRetentionDays ?? GATEWAY_DEFAULTS.logRetentionDays,
    auditRetentionDays: args.auditRetentionDays ?? GATEWAY_DEFAULTS.auditRetentionDays,
    deletionProtection: args.deletionProtection ?? GATEWAY_DEFAULTS.deletionProtection,
    throttle: args.throttle ?? GATEWAY_DEFAULTS.throttle,
  };
  const problems: string[] = [];
  if (!Number.isInteger(s.memorySize) || s.memorySize < 128 || s.memorySize > 10_240) problems.push("memorySize must be a whole number of MB from 128 to 10240");
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(s.logRetentionDays)) problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  if (!Number.isInteger(s.auditRetentionDays) || s.auditRetentionDays < 1) problems.push("auditRetentionDays must be a whole number of days, at least 1");
  if (s.runtime !== "nodejs24.x") problems.push('runtime must be "nodejs24.x"');
  if (!["arm64", "x86_64"].includes(s.architecture)) problems.push('architecture must be "arm64" or "x86_64"');
  if (problems.length) throw new Error(`Gateway options: ${problems.join("; ")}`);
  return s;
}

/** Runs a transform hook: it may mutate the args or return replacements. */
function apply<T>(transform: Transform<T> | undefined, args: T, name: string): T {
  return transform ? (transform(args, name) ?? args) : args;
}

function mapValues<K extends string, A, B>(record: Record<K, A>, f: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v as A)])) as Record<K, B>;
}

export type { GatewayTransforms };
