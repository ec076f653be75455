import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { queryAudit } from "./sqlite-audit-query.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";
import { TurnBatch } from "./turn-batch.ts";

/** Options of {@link SqliteAuditSink}. */
export interface SqliteAuditSinkOptions {
  /** Records older than this are deleted (DynamoDB's TTL does it on AWS). @default 90 */
  retentionDays?: number;
  /** The most records one pruning step deletes (one short transaction). @default 500 */
  pruneBatch?: number;
  /** Delay from the first write to the first pruning pass, so a short-lived process never prunes. @default 60000 */
  pruneDelayMs?: number;
}

/** Time between pruning passes once a pass has caught up. */
const PRUNE_INTERVAL_MS = 3_600_000;

/** The most rows one INSERT of a turn carries (so at most this many statements are ever prepared). */
const ROWS_PER_INSERT = 32;

const insertSqls: string[] = [];

/** The INSERT of `rows` audit rows (its text built once per size). */
function insertSql(rows: number): string {
  insertSqls[rows] ??= `INSERT INTO audit (time, request_id, gateway_id, token_id, record) VALUES ${Array(rows).fill("(?, ?, ?, ?, ?)").join(", ")}`;
  return insertSqls[rows];
}

/** The columns of one audit row, in the INSERT's order. */
type AuditRow = [time: number, requestId: string, gatewayId: string | null, tokenId: string | null, record: string];

/**
 * AuditSink and AuditReader on the `audit` table: the record as JSON, plus the columns queries
 * select on. Records are `fast` writes committed with the other writes of the same event-loop
 * turn (`SqliteDatabase.batched`), the turn's records inserted by one multi-row INSERT (a row of a
 * statement costs less than a statement); `write` resolves only after that commit, so a record is
 * in the WAL, and survives the process being killed, before the request that wrote it completes.
 *
 * Records past the retention are deleted off the request path, in bounded steps: a timer (armed
 * by the first write, unref'd) runs {@link pruneStep}, one transaction of at most `pruneBatch`
 * rows; while steps come back full, the next one runs on a later turn of the event loop (requests
 * are served in between), and once a step finds less, the next pass is an hour later. However
 * large the backlog (a retention lowered from 90 days to 7), no single step holds the loop longer
 * than one batch.
 */
export class SqliteAuditSink implements AuditSink, AuditReader {
  /** Writes resolve after the turn's commit (see `SqliteDatabase.batched`). */
  readonly resolvesPerTurn = true;
  private readonly retentionMs: number;
  private readonly pruneBatch: number;
  private readonly pruneDelayMs: number;
  private pruneTimer: NodeJS.Timeout | null = null;
  private armed = false;
  private stopped = false;
  private readonly turn: TurnBatch<AuditRow, void>;

  constructor(
    private readonly database: SqliteDatabase,
    options: SqliteAuditSinkOptions = {},
  ) {
    this.retentionMs = (options.retentionDays ?? 90) * 86_400_000;
    this.pruneBatch = options.pruneBatch ?? 500;
    this.pruneDelayMs = options.pruneDelayMs ?? 60_000;
    this.turn = new TurnBatch(database, (rows) => this.insert(rows));
  }

  write(record: AuditRecord): Promise<void> {
    if (!this.armed) this.armPruning();
    return this.turn.add([record.time, record.requestId, record.gatewayId, record.tokenId, JSON.stringify(record)]);
  }

  /** Inserts a turn's rows in order, up to {@link ROWS_PER_INSERT} a statement. */
  private insert(rows: readonly AuditRow[]): void[] {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      this.database.statement(insertSql(chunk.length)).run(...chunk.flat());
    }
    return rows.map(() => undefined);
  }

  /**
   * Deletes at most `pruneBatch` records older than the retention, in one transaction, and
   * answers how many it deleted. It looks only at the oldest `pruneBatch` rows by insertion order
   * (the rowid, so no index on time is needed and the step never scans the table): records are
   * written at about their own time, so the expired ones are that prefix.
   */
  pruneStep(now: number): number {
    return Number(
      this.database.write(
        "fast",
        () =>
          this.database
            .statement("DELETE FROM audit WHERE seq IN (SELECT seq FROM audit ORDER BY seq LIMIT ?) AND time < ?")
            .run(this.pruneBatch, now - this.retentionMs).changes,
      ),
    );
  }

  /** Stops the pruning timer (the store is closing). */
  stop(): void {
    this.stopped = true;
    if (this.pruneTimer !== null) clearTimeout(this.pruneTimer);
    this.pruneTimer = null;
  }

  private armPruning(): void {
    this.armed = true;
    this.schedule(this.pruneDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    // Unref'd: pruning never keeps a process alive.
    this.pruneTimer = setTimeout(() => this.prunePass(), delayMs).unref();
  }

  private prunePass(): void {
    this.pruneTimer = null;
    let deleted: number;
    try {
      deleted = this.pruneStep(Date.now());
    } catch {
      // The store is busy or closing: pruning is housekeeping, it tries again next interval.
      deleted = 0;
    }
    // A full step means more may be waiting: the next step runs on a later turn of the loop (the
    // timers phase), after the requests that arrived meanwhile.
    this.schedule(deleted >= this.pruneBatch ? 0 : PRUNE_INTERVAL_MS);
  }

  /** The matching records, oldest first (see {@link queryAudit}). */
  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    return queryAudit(this.database, filter);
  }
}
