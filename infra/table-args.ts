import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { TableDefinition } from "../functions/contracts/tables.ts";

/**
 * TTL attribute for tables whose items never expire (tokens): TTL is still switched on, on an
 * attribute those items never carry, so every table has it (an operator can purge an item by
 * setting it) and turning real expiry on later needs no table update.
 */
export const UNUSED_TTL_ATTRIBUTE = "ttl";

/**
 * The `aws.dynamodb.Table` arguments of a shared table definition: on-demand, point-in-time
 * recovery, server-side encryption with the gateway's customer managed key, TTL, deletion
 * protection (on unless turned off).
 */
export function tableArgs(
  definition: TableDefinition,
  options: { kmsKeyArn: pulumi.Input<string>; deletionProtection: boolean; tags: Record<string, string> },
): aws.dynamodb.TableArgs {
  return {
    billingMode: "PAY_PER_REQUEST",
    hashKey: definition.hashKey,
    ...(definition.rangeKey ? { rangeKey: definition.rangeKey } : {}),
    attributes: definition.attributes.map((a) => ({ name: a.name, type: a.type })),
    globalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      name: index.name,
      // keySchemas, not the deprecated hashKey/rangeKey of @pulumi/aws 7
      keySchemas: [{ attributeName: index.hashKey, keyType: "HASH" }, ...(index.rangeKey ? [{ attributeName: index.rangeKey, keyType: "RANGE" }] : [])],
      projectionType: index.projectionType,
    })),
    ttl: { attributeName: definition.ttlAttribute ?? UNUSED_TTL_ATTRIBUTE, enabled: true },
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: options.kmsKeyArn },
    deletionProtectionEnabled: options.deletionProtection,
    tags: options.tags,
  };
}
