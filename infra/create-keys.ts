import * as aws from "@pulumi/aws";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/**
 * The two KMS keys, rotated, each with an alias: one only DynamoDB uses, one for our envelope
 * encryption (its grant is conditioned on the encryption context, which DynamoDB's own calls
 * could not satisfy).
 */
export function createKeys(scope: GatewayScope): { tableKey: aws.kms.Key; envelopeKey: aws.kms.Key } {
  const { name, definition, tags, parent, transform: t } = scope;
  const key = (role: string, description: string) =>
    new aws.kms.Key(`${name}-${role}`, transformed(t.key, { description, enableKeyRotation: true, deletionWindowInDays: 30, tags }, `${name}-${role}`), {
      parent,
    });
  const tableKey = key("table-key", `Gatehouse ${definition.name}: DynamoDB encryption`);
  const envelopeKey = key("envelope-key", `Gatehouse ${definition.name}: secrets and OAuth tokens`);
  for (const [role, k] of [
    ["table-key", tableKey],
    ["envelope-key", envelopeKey],
  ] as const) {
    new aws.kms.Alias(
      `${name}-${role}-alias`,
      transformed(
        t.alias,
        { name: `alias/gatehouse/${aliasSafe(scope.project)}/${aliasSafe(scope.stack)}/${definition.name}/${role}`, targetKeyId: k.keyId },
        `${name}-${role}-alias`,
      ),
      { parent },
    );
  }
  return { tableKey, envelopeKey };
}

/**
 * A name part KMS accepts in an alias (`[a-zA-Z0-9:/_-]` only; Pulumi project and stack names may
 * also hold `.`): every other character becomes `-`.
 */
export function aliasSafe(part: string): string {
  return part.replace(/[^a-zA-Z0-9:_-]/g, "-");
}
