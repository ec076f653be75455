import * as pulumi from "@pulumi/pulumi";
import type { TableKey } from "../functions/contracts/tables.ts";

/** One IAM statement, as the policy document holds it. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string>>>;
}

/** What the function's role may touch. */
export interface RolePolicyInputs {
  gatewayId: string;
  region: pulumi.Input<string>;
  tableArns: Record<TableKey, pulumi.Input<string>>;
  /** Gateways with OAuth connections also read and write the connections table. */
  usesConnections: boolean;
  envelopeKeyArn: pulumi.Input<string>;
  tableKeyArn: pulumi.Input<string>;
  /** ARNs of the functions' log groups. */
  logGroupArns: pulumi.Input<string>[];
}

/**
 * The least-privilege statements of the function role: every action named (no `*`), every
 * resource an exact ARN. The one pattern is the log-stream name inside the function's own log
 * groups: Lambda names its streams at run time, and PutLogEvents is authorised on the stream.
 * - tokens: GetItem only (the engine looks tokens up by hash; the CLI creates and revokes them);
 * - rate limits: GetItem + UpdateItem (one conditional update per request);
 * - audit: PutItem only (append-only from the function);
 * - connections (with OAuth): Get/Put/Update/DeleteItem;
 * - envelope key: GenerateDataKey + Decrypt, only with `kms:EncryptionContext:gateway` = this gateway;
 * - table key: only through DynamoDB (`kms:ViaService`), which encrypts the tables with it.
 */
export function rolePolicyStatements(inputs: RolePolicyInputs): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: "ReadTokens", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [inputs.tableArns.tokens] },
    { Sid: "CountRequests", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [inputs.tableArns.rateLimits] },
    { Sid: "AppendAudit", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: [inputs.tableArns.audit] },
  ];
  if (inputs.usesConnections) {
    statements.push({
      Sid: "KeepConnections",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      Resource: [inputs.tableArns.connections],
    });
  }
  statements.push(
    {
      Sid: "EnvelopeKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [inputs.envelopeKeyArn],
      Condition: { StringEquals: { "kms:EncryptionContext:gateway": inputs.gatewayId } },
    },
    {
      Sid: "TableKeyViaDynamoDB",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: [inputs.tableKeyArn],
      Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`dynamodb.${inputs.region}.amazonaws.com` } },
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: inputs.logGroupArns.flatMap((arn) => [arn, pulumi.interpolate`${arn}:log-stream:*`]),
    },
  );
  return statements;
}

/** The policy document as JSON (built here, not by the `getPolicyDocument` invoke, so tests see the real thing). */
export function rolePolicyDocument(inputs: RolePolicyInputs): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: rolePolicyStatements(inputs) });
}
