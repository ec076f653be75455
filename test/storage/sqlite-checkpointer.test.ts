import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
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

  it("is off for a one-shot command: SQLite's own automatic checkpoint stays", () => {
    const store = openSqliteStore(tempDir());
    expect(autocheckpoint(store.database.db)).toBe(1000);
    store.close();
  });
});
