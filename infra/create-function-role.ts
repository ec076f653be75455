import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { TableKey } from "../functions/contracts/tables.ts";
import { mapValues, transformed, type GatewayScope } from "./gateway-scope.ts";
import { rolePolicyDocument } from "./role-policy.ts";

/** The functions' role and its least-privilege inline policy (the document is kept for review and tests). */
export function createFunctionRole(
  scope: GatewayScope,
  inputs: {
    region: pulumi.Output<string>;
    tables: Record<TableKey, aws.dynamodb.Table>;
    tableKey: aws.kms.Key;
    envelopeKey: aws.kms.Key;
    logGroups: aws.cloudwatch.LogGroup[];
  },
): { role: aws.iam.Role; rolePolicy: aws.iam.RolePolicy; policyJson: pulumi.Output<string> } {
  const { name, definition, parent, transform: t } = scope;
  const role = new aws.iam.Role(
    `${name}-role`,
    transformed(
      t.role,
      {
        description: `Gatehouse ${definition.name} function`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
        }),
        tags: scope.tags,
      },
      `${name}-role`,
    ),
    { parent },
  );
  const policyJson = rolePolicyDocument({
    gatewayId: definition.id,
    region: inputs.region,
    tableArns: mapValues(inputs.tables, (table) => table.arn),
    usesConnections: Object.keys(definition.connections).length > 0,
    envelopeKeyArn: inputs.envelopeKey.arn,
    tableKeyArn: inputs.tableKey.arn,
    logGroupArns: inputs.logGroups.map((g) => g.arn),
  });
  const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, transformed(t.rolePolicy, { role: role.id, policy: policyJson }, `${name}-role-policy`), {
    parent,
  });
  return { role, rolePolicy, policyJson };
}
