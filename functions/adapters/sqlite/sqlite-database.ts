import { dirname } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { markOpen } from "./store-integrity.ts";
import { DEFAULT_WAL_RESTART_FRAMES, WalCheckpointer } from "./wal-checkpointer.ts";

/**
 * How much a write must survive, chosen per write class (see `PRAGMA synchronous` in WAL mode,
 * https://sqlite.org/pragma.html#pragma_synchronous):
 * - `durable`: token and connection writes. `synchronous=FULL` fsyncs the WAL at the commit, so
 *   the change survives power loss once the call returns; a passive checkpoint then copies it
 *   into the main file, where the integrity check on open covers it (a damaged or cut WAL can
 *   then no longer take a revocation back).
 * - `fast`: audit records and rate-limit counters. `synchronous=NORMAL` writes the WAL without
 *   an fsync: a committed transaction survives the process being killed (the OS has it), and
 *   only a power loss may drop the last commits.
 */
export type WriteClass = "durable" | "fast";

/** What the WAL file is cut back to when the log restarts (servers; see `checkpointInBackground`). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * One open connection to the store file, shared by the SQLite adapters of a process. node:sqlite
 * is synchronous, so a transaction runs start to end without another call of this process in
 * between; other processes are kept out by SQLite's own locks (`BEGIN IMMEDIATE` takes the write
 * lock up front, so two writers never deadlock on an upgrade; the busy timeout makes them queue).
 */
export class SqliteDatabase {
  private readonly statements = new Map<string, StatementSync>();
  private synchronous: "FULL" | "NORMAL" | null = null;
  private turn: Array<{ work: () => unknown; resolve: (value: never) => void; reject: (error: unknown) => void }> = [];
  /** Removes this process's open marker; set by the first `fast` write (see `markOpen`). */
  private unmark: (() => void) | null = null;
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    /** The open connection. */
    readonly db: DatabaseSync,
    /** Absolute path of the database file (for messages). */
    readonly file: string,
  ) {}

  /** A prepared statement, prepared once per connection. */
  statement(sql: string): StatementSync {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs `work` in one write transaction of the given class and returns its result. */
  write<T>(kind: WriteClass, work: () => T): T {
    // A process that writes audit records and counters says so in the data folder first, so that
    // if it ends without closing the store, the next open checks the whole file.
    if (kind === "fast" && this.unmark === null && this.db.isOpen) this.unmark = markOpen(dirname(this.file));
    this.checkpointer?.holdWhileRestarting();
    this.setSynchronous(kind === "durable" ? "FULL" : "NORMAL");
    this.db.exec("BEGIN IMMEDIATE");
    let result: T;
    try {
      result = work();
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
    if (kind === "durable") this.db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    return result;
  }

  /**
   * Runs `work` in the one `fast` transaction of this turn of the event loop, shared with every
   * other `batched` call made in the same turn (audit records, rate-limit checks), and resolves
   * once that transaction committed. A commit costs far more than a row, and under load one turn
   * carries the writes of many requests. The calls run in the order they were made, inside one
   * transaction, so each sees the ones before it (a rate limit stays exact). If any call throws
   * or the commit fails, nothing of the turn is kept and every call rejects with that error.
   */
  batched<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.turn.length === 0) setImmediate(() => this.flushTurn());
      this.turn.push({ work, resolve: resolve as (value: never) => void, reject });
    });
  }

  /**
   * Moves checkpoints off this thread (see {@link WalCheckpointer}): a long-running server's
   * COMMITs then never stop to copy the WAL into the main file. Durable writes still checkpoint
   * at once, as `write` says; if the thread fails, SQLite's automatic checkpoint comes back.
   */
  checkpointInBackground(restartFrames: number = DEFAULT_WAL_RESTART_FRAMES): void {
    if (this.checkpointer !== null || !this.db.isOpen) return;
    this.checkpointer = new WalCheckpointer(this.file, restartFrames, () => {
      if (this.db.isOpen) this.db.exec("PRAGMA wal_autocheckpoint=1000");
    });
    this.db.exec("PRAGMA wal_autocheckpoint=0");
    // When a restart lets this connection start the log over, the file is cut back to this size,
    // so a burst does not leave a large WAL on disk for the life of the process.
    this.db.exec(`PRAGMA journal_size_limit=${WAL_SIZE_LIMIT_BYTES}`);
  }

  /**
   * Closes the connection (the last one out checkpoints and removes the WAL, so the background
   * checkpointer's is closed first). Writes of this turn not yet committed are committed first,
   * so a record written just before a shutdown is kept.
   */
  close(): void {
    if (this.turn.length > 0 && this.db.isOpen) this.commitTurn();
    this.checkpointer?.stop();
    if (this.db.isOpen) this.db.close();
    this.unmark?.();
  }

  private flushTurn(): void {
    // The checkpoint thread is restarting the log: wait for it off the event loop (the calls of
    // the turns meanwhile join this one) rather than block in SQLite's busy handler.
    if (this.checkpointer?.restarting) {
      void this.checkpointer.restarted().then(() => this.flushTurn());
      return;
    }
    this.commitTurn();
  }

  private commitTurn(): void {
    const calls = this.turn;
    if (calls.length === 0) return; // already committed by close()
    this.turn = [];
    let results: unknown[];
    try {
      results = this.write("fast", () => calls.map((call) => call.work()));
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    calls.forEach((call, i) => call.resolve(results[i] as never));
  }

  private setSynchronous(level: "FULL" | "NORMAL"): void {
    if (this.synchronous === level) return;
    this.db.exec(`PRAGMA synchronous=${level}`);
    this.synchronous = level;
  }
}
