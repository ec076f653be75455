import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conditionalWrite, isConditionFailed } from "./conditional-write.ts";
import { storedConnectionRecord, storedConnectSession } from "../shared/stored-records.ts";
import type { ConnectSession, ConnectionRecord, ConnectionStore, SessionStart } from "../../ports/connection-store.ts";
import type { DocumentSender } from "./dynamo-client.ts";
import { CONNECTIONS_TABLE, CONNECTION_VERSION_ATTRIBUTE } from "../../contracts/tables.ts";

const PK = CONNECTIONS_TABLE.hashKey;
/** Lease and session items carry a DynamoDB TTL this long after they stop mattering. */
const TTL_GRACE_SECONDS = 24 * 3600;

/** Where the connections live. */
export interface DynamoConnectionStoreOptions {
  client: DocumentSender;
  /** Physical name of the `connections` table. */
  tableName: string;
}

/**
 * ConnectionStore over the `connections` table. Three kinds of item share it:
 * `<gatewayId>#<connection>` (the connection, with its `version`),
 * `<gatewayId>#<connection>#lease` (the refresh lease: owner and expiry) and
 * `session#<sha256 of the session id>` (a connect session). Every state change is one
 * conditional write, so two Lambda instances can never both win: a version-checked put, a lease
 * taken only when free, expired or already ours, a session started or finished exactly once.
 * Reads are strongly consistent (a re-read after a lost race must see the winner).
 */
export class DynamoConnectionStore implements ConnectionStore {
  private readonly client: DocumentSender;
  private readonly tableName: string;

  constructor(options: DynamoConnectionStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(gatewayId: string, connection: string): Promise<ConnectionRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [PK]: connectionKey(gatewayId, connection) }, ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : null;
  }

  /** A filtered Scan: only the CLI lists connections, and the table holds a few items per connection. */
  async list(gatewayId: string): Promise<ConnectionRecord[]> {
    const records: ConnectionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "#kind = :connection AND gatewayId = :gw",
          ExpressionAttributeNames: { "#kind": "kind" },
          ExpressionAttributeValues: { ":connection": "connection", ":gw": gatewayId },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) records.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return records.sort((a, b) => a.connection.localeCompare(b.connection));
  }

  async put(record: ConnectionRecord, expectedVersion: number | null): Promise<boolean> {
    const wanted = (expectedVersion ?? 0) + 1;
    if (record.version !== wanted) throw new Error(`record version must be ${wanted}, got ${record.version}`);
    const item = { [PK]: connectionKey(record.gatewayId, record.connection), kind: "connection", ...record };
    return conditionalWrite(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(expectedVersion === null
            ? { ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": PK } }
            : {
                ConditionExpression: "#v = :expected",
                ExpressionAttributeNames: { "#v": CONNECTION_VERSION_ATTRIBUTE },
                ExpressionAttributeValues: { ":expected": expectedVersion },
              }),
        }),
      ),
    );
  }

  async delete(gatewayId: string, connection: string): Promise<boolean> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { [PK]: leaseKey(gatewayId, connection) } }));
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [PK]: connectionKey(gatewayId, connection) }, ReturnValues: "ALL_OLD" }),
    );
    return Attributes !== undefined;
  }

  async acquireLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return conditionalWrite(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [PK]: leaseKey(gatewayId, connection), kind: "lease", owner, expiresAt: now + ttlMs, ttl: ttlSeconds(now + ttlMs) },
          ConditionExpression: "attribute_not_exists(#pk) OR expiresAt <= :now OR #owner = :owner",
          ExpressionAttributeNames: { "#pk": PK, "#owner": "owner" },
          ExpressionAttributeValues: { ":now": now, ":owner": owner },
        }),
      ),
    );
  }

  async renewLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return conditionalWrite(
      this.client.send(
        new UpdateCommand({
          ...this.leaseItem(gatewayId, connection),
          UpdateExpression: "SET expiresAt = :exp, #ttl = :ttl",
          ConditionExpression: "#owner = :owner AND expiresAt > :now",
          ExpressionAttributeNames: { "#owner": "owner", "#ttl": "ttl" },
          ExpressionAttributeValues: { ":exp": now + ttlMs, ":ttl": ttlSeconds(now + ttlMs), ":owner": owner, ":now": now },
        }),
      ),
    );
  }

  async releaseLease(gatewayId: string, connection: string, owner: string): Promise<void> {
    await conditionalWrite(
      this.client.send(
        new DeleteCommand({
          ...this.leaseItem(gatewayId, connection),
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": owner },
        }),
      ),
    );
  }

  /** The lease item of a connection, as UpdateItem and DeleteItem name it. */
  private leaseItem(gatewayId: string, connection: string): { TableName: string; Key: Record<string, string> } {
    return { TableName: this.tableName, Key: { [PK]: leaseKey(gatewayId, connection) } };
  }

  async createSession(session: ConnectSession): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [PK]: sessionKey(session.idHash), kind: "session", ...session, ttl: ttlSeconds(session.expiresAt) },
        ConditionExpression: "attribute_not_exists(#pk)",
        ExpressionAttributeNames: { "#pk": PK },
      }),
    );
  }

  async getSession(idHash: string, now: number): Promise<ConnectSession | null> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: sessionKey(idHash) }, ConsistentRead: true }));
    if (Item?.kind !== "session" || (Item.expiresAt as number) <= now) return null;
    return toSession(Item);
  }

  async startSession(idHash: string, now: number, started: SessionStart): Promise<ConnectSession | null> {
    const values: Record<string, unknown> = { ":started": "started", ":issued": "issued", ":now": now, ":sh": started.stateHash, ":bh": started.browserHash };
    let update = "SET stage = :started, stateHash = :sh, browserHash = :bh";
    if (started.sealedVerifier !== undefined) {
      update += ", sealedVerifier = :sv";
      values[":sv"] = started.sealedVerifier;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: sessionKey(idHash) },
          UpdateExpression: update,
          ConditionExpression: "attribute_exists(#pk) AND stage = :issued AND expiresAt > :now",
          ExpressionAttributeNames: { "#pk": PK },
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes ? toSession(Attributes) : null;
    } catch (error) {
      if (isConditionFailed(error)) return null;
      throw error;
    }
  }

  async finishSession(idHash: string, stateHash: string, now: number): Promise<ConnectSession | null> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [PK]: sessionKey(idHash) },
          ConditionExpression: "stage = :started AND expiresAt > :now AND stateHash = :sh",
          ExpressionAttributeValues: { ":started": "started", ":now": now, ":sh": stateHash },
          ReturnValues: "ALL_OLD",
        }),
      );
      return Attributes ? toSession(Attributes) : null;
    } catch (error) {
      if (isConditionFailed(error)) return null;
      throw error;
    }
  }
}

function connectionKey(gatewayId: string, connection: string): string {
  return `${gatewayId}#${connection}`;
}

function leaseKey(gatewayId: string, connection: string): string {
  return `${gatewayId}#${connection}#lease`;
}

function sessionKey(idHash: string): string {
  return `session#${idHash}`;
}

function ttlSeconds(untilMs: number): number {
  return Math.ceil(untilMs / 1000) + TTL_GRACE_SECONDS;
}

function toRecord(item: Record<string, unknown>): ConnectionRecord {
  return storedConnectionRecord(item);
}

function toSession(item: Record<string, unknown>): ConnectSession {
  return storedConnectSession(item);
}
