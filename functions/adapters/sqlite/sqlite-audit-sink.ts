import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";

/** Options of {@link SqliteAuditSink}. */
export interface SqliteAuditSinkOptions {
  /** Records older than this are deleted (DynamoDB's TTL does it on AWS). @default 90 */
  retentionDays?: number;
}

/**
 * AuditSink and AuditReader on the `audit` table: the record as JSON, plus the columns queries
 * select on. Records are `fast` writes committed with the other writes of the same event-loop
 * turn (`SqliteDatabase.batched`); `write` resolves only after that commit, so a record is in the
 * WAL, and survives the process being killed, before the request that wrote it completes.
 * Records past the retention are deleted at most once an hour.
 */
export class SqliteAuditSink implements AuditSink, AuditReader {
  private lastPrune = 0;
  private readonly retentionMs: number;

  constructor(
    private readonly database: SqliteDatabase,
    options: SqliteAuditSinkOptions = {},
  ) {
    this.retentionMs = (options.retentionDays ?? 90) * 86_400_000;
  }

  write(record: AuditRecord): Promise<void> {
    const json = JSON.stringify(record);
    return this.database.batched(() => {
      const now = Date.now();
      if (now - this.lastPrune >= 3_600_000) {
        this.lastPrune = now;
        this.database.statement("DELETE FROM audit WHERE time < ?").run(now - this.retentionMs);
      }
      this.database
        .statement("INSERT INTO audit (time, request_id, gateway_id, token_id, record) VALUES (?, ?, ?, ?, ?)")
        .run(record.time, record.requestId, record.gatewayId, record.tokenId, json);
    });
  }

  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.tokenId !== undefined) where.push("token_id = ?"), values.push(filter.tokenId);
    if (filter.gatewayId !== undefined) where.push("gateway_id = ?"), values.push(filter.gatewayId);
    if (filter.since !== undefined) where.push("time >= ?"), values.push(filter.since);
    if (filter.until !== undefined) where.push("time < ?"), values.push(filter.until);
    const sql = `SELECT record FROM audit${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY time, request_id`;
    const rows = this.database.db.prepare(sql).all(...values) as { record: string }[];
    // The remaining conditions (endpoint, status) are checked on the record itself.
    const found = rows.map((row) => JSON.parse(row.record) as AuditRecord).filter((r) => matchesAuditFilter(r, filter));
    return filter.limit !== undefined ? found.slice(Math.max(0, found.length - filter.limit)) : found;
  }
}
