import { createHash } from "node:crypto";
import { PutCommand, QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";
import { storedAuditRecord } from "../shared/stored-records.ts";
import type { DocumentSender } from "./dynamo-client.ts";

/**
 * Write shards per gateway. One partition key value takes at most 1000 WCU/s and an audit record
 * (no headers, no bodies) is well under 1 KB, so one write is 1 WCU. Spreading a gateway's
 * records over 8 keys (and each GSI key likewise) sustains about 8 × 1000 = 8000 audited
 * requests per second for one gateway, one endpoint or one token before DynamoDB throttles;
 * readers pay for it with 8 parallel Queries per question. Changing it re-homes new records
 * only: readers always query every shard up to the current count, so never lower it.
 */
export const AUDIT_SHARDS = 8;

/** Default retention: records expire by TTL this many days after the request. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** Where audit records go and how long they live. */
export interface DynamoAuditSinkOptions {
  client: DocumentSender;
  tableName: string;
  /** @default 90 */
  retentionDays?: number;
  /** @default AUDIT_SHARDS */
  shards?: number;
}

/** Key attributes added to a stored record; stripped when reading it back. */
const KEY_ATTRIBUTES = ["pk", "sk", "tokenPk", "endpointPk", "ttl"] as const;

/** Stands for "no gateway" (requests to an unknown gateway id) in keys. */
const NO_GATEWAY = "-";

/**
 * AuditSink and AuditReader on the audit table (see `AUDIT_TABLE`): one PutItem per record.
 * Queries use the most selective key the filter names (token, then gateway+endpoint, then
 * gateway), fan out over the shards, and filter the rest (time by key condition, status by
 * filter expression, anything else in code). A filter naming no gateway and no token scans the
 * table: fine for a laptop, costly on a big table.
 */
export class DynamoAuditSink implements AuditSink, AuditReader {
  private readonly shards: number;
  private readonly retentionSeconds: number;

  constructor(private readonly options: DynamoAuditSinkOptions) {
    this.shards = options.shards ?? AUDIT_SHARDS;
    this.retentionSeconds = Math.round((options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * 86_400);
  }

  async write(record: AuditRecord): Promise<void> {
    const shard = shardOf(record.requestId, this.shards);
    const gateway = record.gatewayId ?? NO_GATEWAY;
    const item: Record<string, unknown> = {
      ...record,
      pk: `${gateway}#${shard}`,
      sk: sortKey(record.time, record.requestId),
      ttl: Math.floor(record.time / 1000) + this.retentionSeconds,
    };
    if (record.tokenId) item.tokenPk = `${record.tokenId}#${shard}`;
    if (record.endpoint) item.endpointPk = `${gateway}#${record.endpoint}#${shard}`;
    await this.options.client.send(new PutCommand({ TableName: this.options.tableName, Item: item }));
  }

  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    const range = timeRange(filter);
    const status = statusFilter(filter);
    let found: AuditRecord[];
    if (filter.tokenId !== undefined || filter.gatewayId !== undefined) {
      const [index, attribute, base] =
        filter.tokenId !== undefined
          ? (["byToken", "tokenPk", filter.tokenId] as const)
          : filter.endpoint !== undefined
            ? (["byEndpoint", "endpointPk", `${filter.gatewayId}#${filter.endpoint}`] as const)
            : ([undefined, "pk", filter.gatewayId!] as const);
      const perShard = await Promise.all(
        Array.from({ length: this.shards }, (_, shard) =>
          this.collect(
            {
              TableName: this.options.tableName,
              ...(index ? { IndexName: index } : {}),
              KeyConditionExpression: "#k = :k AND sk BETWEEN :from AND :to",
              ExpressionAttributeNames: { "#k": attribute, ...status.names },
              ExpressionAttributeValues: { ":k": `${base}#${shard}`, ":from": range.from, ":to": range.to, ...status.values },
              ...(status.expression ? { FilterExpression: status.expression } : {}),
              // Newest first, so a limit keeps the latest records, as the memory sink does.
              ScanIndexForward: false,
            },
            filter,
            "query",
          ),
        ),
      );
      found = perShard.flat();
    } else {
      found = await this.collect(
        {
          TableName: this.options.tableName,
          ...(status.expression
            ? { FilterExpression: status.expression, ExpressionAttributeNames: status.names, ExpressionAttributeValues: status.values }
            : {}),
        },
        filter,
        "scan",
      );
    }
    found.sort((a, b) => a.time - b.time || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
    return filter.limit !== undefined ? found.slice(Math.max(0, found.length - filter.limit)) : found;
  }

  /** Pages through one Query or Scan until it ends or has `limit` matching records. */
  private async collect(input: QueryCommandInput | ScanCommandInput, filter: AuditFilter, kind: "query" | "scan"): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        kind === "query"
          ? new QueryCommand({ ...(input as QueryCommandInput), ...(start ? { ExclusiveStartKey: start } : {}) })
          : new ScanCommand({ ...(input as ScanCommandInput), ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of page.Items ?? []) {
        const record = toRecord(item);
        if (matchesAuditFilter(record, filter)) records.push(record);
      }
      start = page.LastEvaluatedKey;
      // A scan is unordered, so it must read everything before a limit can pick the latest.
    } while (start && (kind === "scan" || filter.limit === undefined || records.length < filter.limit));
    return records;
  }
}

/** Which shard a record goes to: a hash of its request id, so shards fill evenly. */
function shardOf(requestId: string, shards: number): number {
  return createHash("sha1").update(requestId).digest().readUInt32BE(0) % shards;
}

/** `<time, 13 digits>#<requestId>`: sorts by time, unique per record. */
function sortKey(time: number, requestId: string): string {
  return `${String(Math.max(0, Math.floor(time))).padStart(13, "0")}#${requestId}`;
}

function timeRange(filter: AuditFilter): { from: string; to: string } {
  // `until` is exclusive: the last key before it is `<until - 1>#~` ('~' sorts after id characters).
  const from = String(Math.max(0, filter.since ?? 0)).padStart(13, "0");
  const to = filter.until !== undefined ? `${String(Math.max(0, filter.until - 1)).padStart(13, "0")}#~` : "9999999999999#~";
  return { from, to };
}

function statusFilter(filter: AuditFilter): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  if (filter.status !== undefined) return { expression: "#status = :status", names: { "#status": "status" }, values: { ":status": filter.status } };
  if (filter.statusClass !== undefined) {
    return {
      expression: "#status BETWEEN :statusLow AND :statusHigh",
      names: { "#status": "status" },
      values: { ":statusLow": filter.statusClass * 100, ":statusHigh": filter.statusClass * 100 + 99 },
    };
  }
  return { names: {}, values: {} };
}

function toRecord(item: Record<string, unknown>): AuditRecord {
  const record = { ...item };
  for (const key of KEY_ATTRIBUTES) delete record[key];
  return storedAuditRecord(record);
}
