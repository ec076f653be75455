import { DynamoAuditSink } from "../../adapters/aws/dynamo-audit-sink.ts";
import { DynamoConnectionStore } from "../../adapters/aws/dynamo-connection-store.ts";
import { createDocumentClient, type DocumentSender } from "../../adapters/aws/dynamo-client.ts";
import { DynamoRateLimiter } from "../../adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../adapters/aws/dynamo-token-store.ts";
import type { TableNames } from "../../contracts/tables.ts";
import type { LocalStores, StoreTarget } from "./wire-stores.ts";

/**
 * The DynamoDB stores of `openStores` (AWS or a compatible endpoint). A module of its own, which
 * `openStores` imports only when it is asked for them: importing the AWS SDK's DynamoDB clients
 * took 95 ms and 29 MB of RSS (7.5 MB of it V8 heap that every later full collection marks
 * again), which a server on the memory or SQLite store never uses.
 */
export function openDynamoStores(target: Extract<StoreTarget, { kind: "aws" }>): LocalStores {
  const client = createDocumentClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
  });
  return {
    ...dynamoStores(client, target.tables, target.auditRetentionDays),
    description: `DynamoDB ${target.endpoint ?? `in ${target.region}`} (tables ${target.tables.tokens}, ${target.tables.audit})`,
    close: async () => client.destroy(),
  };
}

/** The DynamoDB adapters over one client. */
export function dynamoStores(
  client: DocumentSender,
  tables: TableNames,
  auditRetentionDays?: number,
): Pick<LocalStores, "tokens" | "rateLimiter" | "audit" | "connections"> {
  return {
    connections: new DynamoConnectionStore({ client, tableName: tables.connections }),
    tokens: new DynamoTokenStore({ client, tableName: tables.tokens }),
    rateLimiter: new DynamoRateLimiter({ client, tableName: tables.rateLimits }),
    audit: new DynamoAuditSink({ client, tableName: tables.audit, ...(auditRetentionDays !== undefined ? { retentionDays: auditRetentionDays } : {}) }),
  };
}
