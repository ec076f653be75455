import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailed } from "./conditional-write.ts";
import { storedTokenRecord } from "../shared/stored-records.ts";
import type { TokenRecord, TokenStore } from "../../ports/token-store.ts";
import type { DocumentSender } from "./dynamo-client.ts";
import { TOKENS_TABLE } from "../../contracts/tables.ts";

/** Where the token table is. */
export interface DynamoTokenStoreOptions {
  client: DocumentSender;
  tableName: string;
}

/**
 * TokenStore on the tokens table (see `TOKENS_TABLE`). `findByHash` is one strongly consistent
 * GetItem. `create` is a conditional put on the hash; ids are checked through the `byId` index
 * first (ids are 72 random bits, so a clash is a bug, not a race worth a transaction).
 */
export class DynamoTokenStore implements TokenStore {
  constructor(private readonly options: DynamoTokenStoreOptions) {}

  async findByHash(hash: string): Promise<TokenRecord | null> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: { [TOKENS_TABLE.hashKey]: hash }, ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : null;
  }

  async findById(id: string): Promise<TokenRecord | null> {
    const hash = await this.hashOf(id);
    // Re-read by hash: index reads are eventually consistent, the base table read is not.
    return hash === null ? null : this.findByHash(hash);
  }

  async create(record: TokenRecord): Promise<void> {
    if ((await this.hashOf(record.id)) !== null) throw new Error(`token ${record.id} already exists`);
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: toItem(record),
          ConditionExpression: "attribute_not_exists(#hash)",
          ExpressionAttributeNames: { "#hash": TOKENS_TABLE.hashKey },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new Error(`token ${record.id} already exists`);
      throw error;
    }
  }

  async list(gatewayId: string): Promise<TokenRecord[]> {
    const records: TokenRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: "byGateway",
          KeyConditionExpression: "gatewayId = :g",
          ExpressionAttributeValues: { ":g": gatewayId },
          ScanIndexForward: false,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) records.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async revoke(id: string, at: number): Promise<boolean> {
    // Only a token not yet revoked gets a time (revokedAt is stored as NULL until then), so
    // revoking twice keeps the first time; a failed condition on an existing token is success.
    return this.update(
      id,
      {
        UpdateExpression: "SET revokedAt = :at, #ttl = :ttl",
        ConditionExpression: "attribute_exists(#hash) AND attribute_type(revokedAt, :nullType)",
        ExpressionAttributeValues: { ":at": at, ":nullType": "NULL", ":ttl": removalTime(at) },
      },
      true,
    );
  }

  async setExpiry(id: string, expiresAt: number): Promise<boolean> {
    return this.update(
      id,
      {
        UpdateExpression: "SET expiresAt = :e, #ttl = :ttl",
        ConditionExpression: "attribute_exists(#hash)",
        ExpressionAttributeValues: { ":e": expiresAt, ":ttl": removalTime(expiresAt) },
      },
      false,
    );
  }

  /** A conditional update by id; `false` when the id is unknown (or vanished in between). */
  private async update(
    id: string,
    change: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> },
    failedConditionMeansDone: boolean,
  ): Promise<boolean> {
    const hash = await this.hashOf(id);
    if (hash === null) return false;
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [TOKENS_TABLE.hashKey]: hash },
          ExpressionAttributeNames: { "#hash": TOKENS_TABLE.hashKey, "#ttl": TOKENS_TABLE.ttlAttribute },
          ...change,
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return failedConditionMeansDone ? (await this.findByHash(hash)) !== null : false;
    }
  }

  private async hashOf(id: string): Promise<string | null> {
    const { Items } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: "byId",
        KeyConditionExpression: "id = :id",
        ExpressionAttributeValues: { ":id": id },
        ProjectionExpression: "#hash",
        ExpressionAttributeNames: { "#hash": TOKENS_TABLE.hashKey },
      }),
    );
    const hash = Items?.[0]?.[TOKENS_TABLE.hashKey];
    return typeof hash === "string" ? hash : null;
  }
}

function toItem(record: TokenRecord): Record<string, unknown> {
  return {
    hash: record.hash,
    id: record.id,
    gatewayId: record.gatewayId,
    label: record.label,
    endpoints: record.endpoints,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    rotatedFrom: record.rotatedFrom ?? null,
    ...(record.expiresAt !== null ? { [TOKENS_TABLE.ttlAttribute]: removalTime(record.expiresAt) } : {}),
  };
}

/** How long a dead (expired or revoked) token's record stays, so lists still explain it. */
export const DEAD_TOKEN_RETENTION_DAYS = 90;

/** The TTL (epoch seconds) that removes a token record {@link DEAD_TOKEN_RETENTION_DAYS} after it died. */
function removalTime(diedAt: number): number {
  return Math.ceil(diedAt / 1000) + DEAD_TOKEN_RETENTION_DAYS * 86_400;
}

function toRecord(item: Record<string, unknown>): TokenRecord {
  return storedTokenRecord(item);
}
