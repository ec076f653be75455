import { createHash } from "node:crypto";
import { PutCommand, QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";
import { storedAuditRecord } from "../shared/stored-records.ts";
import type { DocumentSender } from "./dynamo-client.ts";
import { fitAuditItem } from "./fit-audit-item.ts";

/**
 * Write shards per gateway. One partition key value takes at most 1000 WCU/s and an audit record
 * (no headers, no bodies) is kept at most 1 KB (`fitAuditItem`), so one write is 1 WCU. Spreading
 * a gateway's records over 8 keys sustains about 8 × 1000 = 8000 audited requests per second for
 * one gateway before DynamoDB throttles;
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

/**
 * Key attributes added to a stored record; stripped when reading it back. `tokenPk` and
 * `endpointPk` keyed the two indexes records written before issue 18 still carry.
 */
const KEY_ATTRIBUTES = ["pk", "sk", "tokenPk", "endpointPk", "ttl"] as const;

/** Stands for "no gateway" (requests to an unknown gateway id) in keys. */
const NO_GATEWAY = "-";

/**
 * AuditSink and AuditReader on the audit table (see `AUDIT_TABLE`): one PutItem per record, at
 * most 1 KB, so 1 write unit. A filter naming the gateway is one Query per shard over the time
 * range (key condition), with token, endpoint and status as a filter expression: DynamoDB reads,
 * and bills, the whole range of that gateway and returns the matches. A filter naming no gateway
 * scans the table with the same filters: fine for a laptop, costly on a big table (`gatehouse
 * audit --gateway` avoids it).
 */
export class DynamoAuditSink implements AuditSink, AuditReader {
  private readonly shards: number;
  private readonly retentionSeconds: number;

  constructor(private readonly options: DynamoAuditSinkOptions) {
    this.shards = options.shards ?? AUDIT_SHARDS;
    this.retentionSeconds = Math.round((options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * 86_400);
  }

  async write(record: AuditRecord): Promise<void> {
    await this.options.client.send(new PutCommand({ TableName: this.options.tableName, Item: this.item(record) }));
  }

  /** The stored item of a record: the record (shortened to fit 1 KB if need be) and its keys. */
  item(record: AuditRecord): Record<string, unknown> {
    const shard = shardOf(record.requestId, this.shards);
    const gateway = record.gatewayId ?? NO_GATEWAY;
    return fitAuditItem({
      ...record,
      pk: `${gateway}#${shard}`,
      sk: sortKey(record.time, record.requestId),
      ttl: Math.floor(record.time / 1000) + this.retentionSeconds,
    });
  }

  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    const range = timeRange(filter);
    const where = filterExpression(filter);
    let found: AuditRecord[];
    if (filter.gatewayId !== undefined) {
      const perShard = await Promise.all(
        // A request id lives in one shard (its hash picks it): only that one is read.
        (filter.requestId !== undefined ? [shardOf(filter.requestId, this.shards)] : Array.from({ length: this.shards }, (_, shard) => shard)).map((shard) =>
          this.collect(
            {
              TableName: this.options.tableName,
              KeyConditionExpression: "pk = :k AND sk BETWEEN :from AND :to",
              ExpressionAttributeValues: { ":k": `${filter.gatewayId}#${shard}`, ":from": range.from, ":to": range.to, ...where.values },
              ...(where.expression ? { FilterExpression: where.expression, ExpressionAttributeNames: where.names } : {}),
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
      const scanWhere = filterExpression(filter, range);
      found = await this.collect(
        {
          TableName: this.options.tableName,
          ...(scanWhere.expression
            ? { FilterExpression: scanWhere.expression, ExpressionAttributeNames: scanWhere.names, ExpressionAttributeValues: scanWhere.values }
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

/**
 * The filter expression of everything a filter names besides the gateway: token, endpoint,
 * status, and (for a scan, which has no key condition) the time range.
 */
function filterExpression(
  filter: AuditFilter,
  scanRange?: { from: string; to: string },
): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (scanRange && (filter.since !== undefined || filter.until !== undefined)) {
    terms.push("sk BETWEEN :from AND :to");
    values[":from"] = scanRange.from;
    values[":to"] = scanRange.to;
  }
  // Equality filters: the placeholder of each is named after its attribute.
  for (const field of EQUALITY_FILTERS) {
    const value = filter[field];
    if (value === undefined) continue;
    terms.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  if (filter.status === undefined && filter.statusClass !== undefined) {
    terms.push("#status BETWEEN :statusLow AND :statusHigh");
    names["#status"] = "status";
    values[":statusLow"] = filter.statusClass * 100;
    values[":statusHigh"] = filter.statusClass * 100 + 99;
  }
  return terms.length ? { expression: terms.join(" AND "), names, values } : { names, values };
}

/** Filter fields matched by equality, each against the attribute of the same name. */
const EQUALITY_FILTERS = ["requestId", "tokenId", "endpoint", "status"] as const;

function toRecord(item: Record<string, unknown>): AuditRecord {
  const record = { ...item };
  for (const key of KEY_ATTRIBUTES) delete record[key];
  return storedAuditRecord(record);
}
