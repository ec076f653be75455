import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, STORE_FILE_NAME } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-ckpt-"));
  dirs.push(dir);
  return dir;
};

const record = (i: number): AuditRecord =>
  ({
    requestId: `req_${String(i).padStart(32, "0")}`,
    time: 1_700_000_000_000 + i,
    event: "proxy.request",
    gatewayId: "gw",
    tokenId: null,
    status: 200,
  }) as AuditRecord;

/** Rows of the main database file alone, read from a copy without its WAL: what checkpoints have put there. */
function rowsInMainFile(dir: string): number {
  const copy = join(tempDir(), "main-only.db");
  copyFileSync(join(dir, STORE_FILE_NAME), copy);
  const db = new DatabaseSync(copy);
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

const autocheckpoint = (db: DatabaseSync) => Number((db.prepare("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint);

describe("WAL checkpoints on a background thread (servers)", () => {
  it("commits never checkpoint on the event loop, yet the records reach the main file, and close leaves no WAL", async () => {
    const dir = tempDir();
    const store = openSqliteStore(dir, { backgroundCheckpoints: true });
    expect(autocheckpoint(store.database.db)).toBe(0);
    // A log started over after a burst is cut back to 64 MiB (https://sqlite.org/pragma.html#pragma_journal_size_limit).
    expect(store.database.db.prepare("PRAGMA journal_size_limit").get()).toEqual({ journal_size_limit: 64 * 1024 * 1024 });
    // 1,500 commits, well past SQLite's 1,000-page automatic checkpoint, one per turn of the loop.
    for (let i = 0; i < 1500; i++) await store.audit.write(record(i));
    let inMain = 0;
    for (let waited = 0; waited < 5000 && inMain < 1500; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      inMain = rowsInMainFile(dir);
    }
    expect(inMain).toBe(1500);
    const started = Date.now();
    store.close();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(existsSync(join(dir, `${STORE_FILE_NAME}-wal`))).toBe(false);
    const reopened = openSqliteStore(dir);
    expect((await reopened.audit.query({ gatewayId: "gw" })).length).toBe(1500);
    reopened.close();
  });

  it("restarts the log under writes that never pause, and keeps every record", async () => {
    // A PASSIVE pass copies what was committed before it began; with commits arriving all the
    // while, the log is never wholly copied when the next write begins, so SQLite never starts
    // it over: the WAL grew by every commit (about 12 KB here). The checkpoint sequence number in
    // the WAL header (bytes 12-15, https://sqlite.org/fileformat2.html#walformat) goes up by one
    // each time the log restarts.
    const dir = tempDir();
    const store = openSqliteStore(dir, { backgroundCheckpoints: true, walRestartFrames: 1000 });
    const wal = join(dir, `${STORE_FILE_NAME}-wal`);
    const header = Buffer.alloc(32);
    const sequence = () => {
      const fd = openSync(wal, "r");
      try {
        readSync(fd, header, 0, 32, 0);
      } finally {
        closeSync(fd);
      }
      return header.readUInt32BE(12);
    };
    await store.audit.write(record(0));
    const first = sequence();
    let commits = 1;
    let largest = 0;
    const started = Date.now();
    // About 10 commits a millisecond (a server's pace under load; unpaced, this loop writes 65 a
    // millisecond and fills 64 MB before the thread's first pass). Stops at two restarts; without
    // them, at 64 MB of WAL (the bound the restarts must keep) or 20 s.
    while (sequence() - first < 2 && largest < 64 * 1024 * 1024 && Date.now() - started < 20_000) {
      for (let i = 0; i < 10; i++) await store.audit.write(record(commits++));
      await new Promise((resolve) => setTimeout(resolve, 1));
      largest = Math.max(largest, statSync(wal).size);
    }
    expect(sequence() - first).toBeGreaterThanOrEqual(2);
    expect(largest).toBeLessThan(64 * 1024 * 1024);
    expect((await store.audit.query({ gatewayId: "gw" })).length).toBe(commits);
    store.close();
    const reopened = openSqliteStore(dir);
    expect((await reopened.audit.query({ gatewayId: "gw" })).length).toBe(commits);
    reopened.close();
  }, 30_000);

  it("is off for a one-shot command: SQLite's own automatic checkpoint stays", () => {
    const store = openSqliteStore(tempDir());
    expect(autocheckpoint(store.database.db)).toBe(1000);
    store.close();
  });
});
