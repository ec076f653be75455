import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TableNames } from "../functions/contracts/tables.ts";
import { ENV, type FrontDoorKind } from "../functions/contracts/lambda-contract.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** What both functions share: one archive (with the secret ciphertexts), one role, the tables, the key. */
export interface FunctionBase {
  code: pulumi.Input<pulumi.asset.Archive>;
  role: aws.iam.Role;
  rolePolicy: aws.iam.RolePolicy;
  tableNames: pulumi.Output<TableNames>;
  envelopeKey: aws.kms.Key;
}

/**
 * One Lambda function on the gateway's code: the door it serves, its handler and timeout, its
 * log group, and the environment of the Lambda contract (`ENV`), plus any extra variables.
 */
export function createGatewayFunction(
  scope: GatewayScope,
  base: FunctionBase,
  door: {
    kind: FrontDoorKind;
    handler: string;
    timeoutSeconds: number;
    logs: aws.cloudwatch.LogGroup;
    reservedConcurrency?: number | undefined;
    extraEnvironment?: Record<string, pulumi.Input<string>>;
  },
): aws.lambda.Function {
  const { name, definition, settings } = scope;
  const logical = `${name}-${door.kind}`;
  return new aws.lambda.Function(
    logical,
    transformed(
      scope.transform.function,
      {
        description: `Gatehouse ${definition.name} (${door.kind === "api" ? "API Gateway" : "streaming Function URL"})`,
        runtime: settings.runtime,
        architectures: [settings.architecture],
        handler: door.handler,
        code: base.code,
        role: base.role.arn,
        memorySize: settings.memorySize,
        timeout: door.timeoutSeconds,
        ...(door.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: door.reservedConcurrency } : {}),
        loggingConfig: { logFormat: "JSON", logGroup: door.logs.name },
        environment: {
          variables: {
            [ENV.tables]: pulumi.jsonStringify(base.tableNames),
            [ENV.keyArn]: base.envelopeKey.arn,
            [ENV.auditRetentionDays]: String(settings.auditRetentionDays),
            [ENV.frontDoor]: door.kind,
            ...door.extraEnvironment,
          },
        },
        tags: scope.tags,
      },
      logical,
    ),
    { parent: scope.parent, dependsOn: [base.rolePolicy, door.logs] },
  );
}
