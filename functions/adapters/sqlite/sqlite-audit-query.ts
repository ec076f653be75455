import type { AuditFilter, AuditRecord } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";

/**
 * Above this many gateways in the store, a query across all of them scans the table rather
 * than merging one index range per gateway (SQLite allows 500 terms in a compound SELECT).
 */
const MAX_MERGED_GATEWAYS = 64;

// A compound SELECT orders by its result columns, so every part selects time and request_id too.
const ORDER = "ORDER BY time DESC, request_id DESC";

/**
 * The matching records of the `audit` table, oldest first; with a `limit`, the latest `limit` of
 * them. The rows are walked newest first and the walk stops at the limit, so `gatehouse audit` on
 * a large store reads and parses about `limit` records rather than the whole table; when SQL
 * checks every condition of the filter, the limit is SQL's too.
 *
 * The table has no index on time alone (each index is one more write per request): a query naming
 * a gateway or a token walks `audit_by_gateway` or `audit_by_token`, and one naming neither (the
 * default `gatehouse audit`, every poll of `--follow`) merges the time-ordered ranges of
 * `audit_by_gateway`, one per gateway in the store (and one for records of no gateway), which
 * SQLite does without sorting. Only a lookup by request id alone reads the whole table. It all
 * runs in one read transaction, so the gateways found and the records read are one snapshot.
 */
export function queryAudit(database: SqliteDatabase, filter: AuditFilter): AuditRecord[] {
  if (filter.limit !== undefined && filter.limit < 1) return [];
  const { db } = database;
  const ownTransaction = !db.isTransaction;
  if (ownTransaction) db.exec("BEGIN");
  try {
    return walk(database, filter);
  } finally {
    if (ownTransaction && db.isTransaction) db.exec("COMMIT");
  }
}

function walk(database: SqliteDatabase, filter: AuditFilter): AuditRecord[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.requestId !== undefined) where.push("request_id = ?"), values.push(filter.requestId);
  if (filter.tokenId !== undefined) where.push("token_id = ?"), values.push(filter.tokenId);
  if (filter.gatewayId !== undefined) where.push("gateway_id = ?"), values.push(filter.gatewayId);
  const range: string[] = [];
  const rangeValues: number[] = [];
  if (filter.since !== undefined) range.push("time >= ?"), rangeValues.push(filter.since);
  if (filter.until !== undefined) range.push("time < ?"), rangeValues.push(filter.until);
  // The remaining conditions (endpoint, status) are checked on the record itself.
  const checkedOnRecord = filter.endpoint !== undefined || filter.status !== undefined || filter.statusClass !== undefined;
  const sqlLimit = checkedOnRecord ? undefined : filter.limit;
  const limitSql = sqlLimit !== undefined ? " LIMIT ?" : "";

  let sql: string;
  const gateways = where.length === 0 ? gatewaysOf(database) : null;
  if (gateways && gateways.length > 0) {
    const parts = gateways.map((gateway) => {
      if (gateway !== null) values.push(gateway);
      values.push(...rangeValues);
      return `SELECT time, request_id, record FROM audit WHERE ${[gateway === null ? "gateway_id IS NULL" : "gateway_id = ?", ...range].join(" AND ")}`;
    });
    sql = `${parts.join(" UNION ALL ")} ${ORDER}${limitSql}`;
  } else {
    const conditions = [...where, ...range];
    values.push(...rangeValues);
    sql = `SELECT time, request_id, record FROM audit${conditions.length ? ` WHERE ${conditions.join(" AND ")}` : ""} ${ORDER}${limitSql}`;
  }
  if (sqlLimit !== undefined) values.push(sqlLimit);

  const newestFirst: AuditRecord[] = [];
  // Prepared once per filter shape (`--follow` asks the same one every poll).
  for (const row of database.statement(sql).iterate(...values) as Iterable<{ record: string }>) {
    const record = JSON.parse(row.record) as AuditRecord;
    if (!matchesAuditFilter(record, filter)) continue;
    newestFirst.push(record);
    if (newestFirst.length === filter.limit) break;
  }
  return newestFirst.reverse();
}

/**
 * The gateway ids the table holds (null for records of no gateway), found by seeking
 * `audit_by_gateway` from one id to the next rather than reading its entries; null when there
 * are too many to merge.
 */
function gatewaysOf(database: SqliteDatabase): (string | null)[] | null {
  const gateways: (string | null)[] = [];
  const after = database.statement("SELECT min(gateway_id) AS id FROM audit WHERE gateway_id > ?");
  let id = (database.statement("SELECT min(gateway_id) AS id FROM audit").get() as { id: string | null }).id;
  while (id !== null) {
    if (gateways.length === MAX_MERGED_GATEWAYS) return null;
    gateways.push(id);
    id = (after.get(id) as { id: string | null }).id;
  }
  if (database.statement("SELECT 1 FROM audit WHERE gateway_id IS NULL LIMIT 1").get() !== undefined) gateways.push(null);
  return gateways;
}
