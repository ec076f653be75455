import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, statSync, unlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteAuditSink, type SqliteAuditSinkOptions } from "./sqlite-audit-sink.ts";
import { SqliteConnectionStore } from "./sqlite-connection-store.ts";
import { SqliteDatabase } from "./sqlite-database.ts";
import { SqliteRateLimiter } from "./sqlite-rate-limiter.ts";
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from "./sqlite-schema.ts";
import { integrityCheck, type IntegrityResult } from "./store-integrity.ts";
import { SqliteTokenStore } from "./sqlite-token-store.ts";

/** The store's file name inside the data folder. */
export const STORE_FILE_NAME = "gatehouse.db";

/** How long a process waits for another one's write lock before the call fails (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/** The store cannot be used as it is; the message is one line naming the folder and what to do. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Audit retention in days. @default 90 */
  auditRetentionDays?: number;
  /** Pruning of expired audit records (see {@link SqliteAuditSinkOptions}); tests shorten it. */
  auditPruning?: Pick<SqliteAuditSinkOptions, "pruneBatch" | "pruneDelayMs">;
  /**
   * Checkpoint the WAL on a thread of its own rather than inside the commits (servers: `gatehouse
   * dev` and `serve`); a short CLI command leaves it to SQLite. @default false
   */
  backgroundCheckpoints?: boolean;
  /** With background checkpoints: the WAL length in frames at which the log is restarted (tests lower it). @default 16384 */
  walRestartFrames?: number;
}

/** The adapters on one open store file. */
export interface SqliteStore {
  file: string;
  database: SqliteDatabase;
  tokens: SqliteTokenStore;
  rateLimiter: SqliteRateLimiter;
  audit: SqliteAuditSink;
  connections: SqliteConnectionStore;
  /** What the integrity check on open covered: every table but the audit log, or the whole file (after an unclean end). */
  checked: IntegrityResult["scope"];
  close(): void;
}

/**
 * Opens (or creates) `<dataDir>/gatehouse.db`: the folder mode 0700, the file (and its `-wal`
 * and `-shm`, which SQLite creates with the file's mode) 0600, WAL journal, busy timeout so
 * processes on the same file queue instead of failing. A new file is built under a temporary
 * name and linked into place complete, so a file that exists is always one we finished; an
 * empty, foreign, newer or damaged file (`PRAGMA quick_check`, bounded as `integrityCheck` says:
 * every table but the audit log on each open, the whole file after a writer ended without
 * closing it) and a folder of the earlier dynalite store are refused with a
 * {@link StoreOpenError}, never used in part.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
  const dir = resolve(dataDir);
  refuseLegacyStore(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
  const file = join(dir, STORE_FILE_NAME);
  if (!existsSync(file)) createStoreFile(dir, file);
  if (statSync(file).size === 0) throw damaged(dir, file, "the file is empty");
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) tighten(path, 0o600);

  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw damaged(dir, file, messageOf(error));
  }
  let checked: IntegrityResult["scope"];
  try {
    checked = checkStore(db, dir, file);
  } catch (error) {
    db.close();
    throw error instanceof StoreOpenError ? error : damaged(dir, file, messageOf(error));
  }
  const database = new SqliteDatabase(db, file);
  if (options.backgroundCheckpoints) database.checkpointInBackground(options.walRestartFrames);
  const tokens = new SqliteTokenStore(database);
  tokens.pruneDead(Date.now());
  const audit = new SqliteAuditSink(database, {
    ...options.auditPruning,
    ...(options.auditRetentionDays !== undefined ? { retentionDays: options.auditRetentionDays } : {}),
  });
  return {
    file,
    database,
    tokens,
    rateLimiter: new SqliteRateLimiter(database),
    audit,
    connections: new SqliteConnectionStore(database),
    checked,
    close: () => {
      audit.stop();
      database.close();
    },
  };
}

/** Ours, this schema, WAL, and intact; throws a {@link StoreOpenError} or SQLite's error otherwise. */
function checkStore(db: DatabaseSync, dir: string, file: string): IntegrityResult["scope"] {
  const id = Number((db.prepare("PRAGMA application_id").get() as { application_id: number }).application_id);
  if (id !== APPLICATION_ID) throw damaged(dir, file, "it is not a Gatehouse store (another program's SQLite file, or a damaged header)");
  const version = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  if (version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      `the store ${file} was written by a newer Gatehouse (schema ${version}, this one reads ${SCHEMA_VERSION}); upgrade gatehouse-gateway, or restore a backup made before the upgrade`,
    );
  }
  if (version !== SCHEMA_VERSION) throw damaged(dir, file, `unknown schema version ${version}`);
  const mode = (db.prepare("PRAGMA journal_mode=WAL").get() as { journal_mode: string }).journal_mode;
  if (mode !== "wal") throw damaged(dir, file, `the journal cannot be switched to WAL (it is ${mode})`);
  const { scope, findings } = integrityCheck(db, dir);
  if (findings.length !== 1 || findings[0] !== "ok") {
    // SQLite's findings can span lines (an index entry and the row it misses): the message stays one line.
    throw damaged(
      dir,
      file,
      `integrity check: ${findings
        .slice(0, 3)
        .join("; ")
        .replace(/\s*\n\s*/g, " ")}`,
    );
  }
  return scope;
}

/** Builds a new store under a temporary name and links it into place only when complete. */
function createStoreFile(dir: string, file: string): void {
  const temporary = join(dir, `.${STORE_FILE_NAME}.new-${process.pid}-${randomBytes(4).toString("hex")}`);
  closeSync(openSync(temporary, "wx", 0o600));
  try {
    const db = new DatabaseSync(temporary);
    try {
      db.exec(
        `PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; BEGIN; ${SCHEMA_SQL} PRAGMA application_id=${APPLICATION_ID}; PRAGMA user_version=${SCHEMA_VERSION}; COMMIT;`,
      );
    } finally {
      db.close();
    }
    const handle = openSync(temporary, "r");
    fsyncSync(handle);
    closeSync(handle);
    try {
      linkSync(temporary, file);
    } catch (error) {
      // Another process created the store at the same moment: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const folder = openSync(dir, "r");
    fsyncSync(folder);
    closeSync(folder);
  } finally {
    for (const path of [temporary, `${temporary}-wal`, `${temporary}-shm`]) if (existsSync(path)) unlinkSync(path);
  }
}

/** A folder of the dynalite store this version replaced: refused with the steps to start afresh. */
function refuseLegacyStore(dir: string): void {
  const legacy = ["store.json", "dynamo"].filter((name) => existsSync(join(dir, name)));
  if (legacy.length === 0) return;
  throw new StoreOpenError(
    `${dir} holds the store of an earlier Gatehouse (${legacy.join(", ")}: dynalite), which this version does not read; ` +
      `to start afresh keep keyring.key and secrets.json and move the old store away: ` +
      `stop gatehouse, run \`mkdir ${join(dir, "old-store")} && mv ${legacy.map((name) => join(dir, name)).join(" ")} ${join(dir, "old-store")}\`, ` +
      `then create tokens again with \`gatehouse token create\` (connections: \`gatehouse connect\`)`,
  );
}

/** Removes group and other permissions from a path we own (earlier versions made 0755 folders). */
function tighten(path: string, mode: number): void {
  const current = statSync(path);
  if ((current.mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch {
    throw new StoreOpenError(`${path} is readable by other users and cannot be made private (chmod ${mode.toString(8)} ${path})`);
  }
}

function damaged(dir: string, file: string, why: string): StoreOpenError {
  return new StoreOpenError(
    `the store ${file} cannot be used: ${why}. Gatehouse does not run on a damaged store. Stop every gatehouse process using ${dir}, ` +
      `then restore ${STORE_FILE_NAME} from a backup (examples/self-hosted/README.md), or move it away to start with an empty store and create tokens again`,
  );
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}
