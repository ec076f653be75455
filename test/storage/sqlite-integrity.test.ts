import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { cp, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore, STORE_FILE_NAME, StoreOpenError } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";
import { REPO } from "../helpers/serve-process.ts";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), "gatehouse-integrity-"));
  folders.push(made);
  return join(made, "data");
}

/** A store with two tokens (one revoked) and 300 audit records, closed cleanly. */
async function cleanStore(): Promise<string> {
  const dir = await folder();
  const store = openSqliteStore(dir);
  const revoked = await issueToken(store.tokens, { gatewayId: "g", label: "revoked", now: Date.now() });
  await issueToken(store.tokens, { gatewayId: "g", label: "live", now: Date.now() });
  await Promise.all(Array.from({ length: 300 }, (_, i) => store.audit.write(auditRecord({ time: Date.now() + i, path: `/p/${"x".repeat(200)}` }))));
  await store.tokens.revoke(revoked.record.id, Date.now());
  store.close();
  return dir;
}

/** The root page of a table or index, read while no store is open. */
function rootPage(dir: string, name: string): number {
  return Number(readPage(dir, "SELECT rootpage AS page FROM sqlite_schema WHERE name = ?", name));
}

/** The first leaf page of the audit table: untouched by later inserts, which go to the last leaf. */
function firstAuditLeaf(dir: string): number {
  return readPage(dir, "SELECT min(pageno) AS page FROM dbstat WHERE name = ? AND pagetype = 'leaf'", "audit");
}

function readPage(dir: string, sql: string, name: string): number {
  const db = new DatabaseSync(join(dir, STORE_FILE_NAME), { readOnly: true });
  const row = db.prepare(sql).get(name) as { page: number };
  db.close();
  return Number(row.page);
}

/** Overwrites a page of the main file with garbage (pages are 4096 bytes, numbered from 1). */
async function garble(dir: string, page: number): Promise<void> {
  const handle = await open(join(dir, STORE_FILE_NAME), "r+");
  await handle.write(Buffer.alloc(4096, 0x41), 0, 4096, 4096 * (page - 1));
  await handle.close();
}

function openError(dir: string): string {
  try {
    openSqliteStore(dir).close();
    return "opened";
  } catch (error) {
    expect(error).toBeInstanceOf(StoreOpenError);
    return (error as Error).message;
  }
}

const markers = (dir: string) => readdirSync(dir).filter((name) => name.startsWith(".gatehouse.db.open-"));

/** Runs a process that opens the store, writes an audit record, and is then killed with SIGKILL. */
async function killWriter(dir: string): Promise<void> {
  const child = spawn(process.execPath, [join(REPO, "cli/run-ts.mjs"), join(import.meta.dirname, "support", "audit-writer.ts"), dir]);
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  while (!out.includes('"ready"')) {
    if (child.exitCode !== null) throw new Error(`audit writer exited ${child.exitCode}`);
    await once(child.stdout, "data");
  }
  child.kill("SIGKILL");
  await once(child, "exit");
}

describe("the integrity check on open of the SQLite store", () => {
  it.each([
    ["the tokens table", "tokens"],
    ["the index of tokens by gateway", "tokens_by_gateway"],
    ["the unique index of token ids", "sqlite_autoindex_tokens_2"],
  ])("refuses a cleanly closed store whose page of %s is damaged, with one line naming the folder", async (_what, name) => {
    const dir = await cleanStore();
    expect(markers(dir)).toEqual([]);
    await garble(dir, rootPage(dir, name));
    const message = openError(dir);
    expect(message).toMatch(/cannot be used: (integrity check|database disk image is malformed)/);
    expect(message).toContain(`Stop every gatehouse process using ${dir}`);
    expect(message).not.toContain("\n");
  });

  it("after a clean close reads no audit page to open; a damaged audit page then fails the query that reads it, never a partial answer", async () => {
    const dir = await cleanStore();
    await garble(dir, firstAuditLeaf(dir));
    const store = openSqliteStore(dir);
    expect(store.checked).toBe("tables");
    await expect(store.audit.query({ gatewayId: auditRecord().gatewayId ?? "" })).rejects.toThrow(/malformed/);
    store.close();
  });

  it("after a writer was killed, checks the whole file: a damaged audit page is refused, and an intact store opens and drops the stale marker", {
    timeout: 60_000,
  }, async () => {
    const dir = await cleanStore();
    await killWriter(dir);
    expect(markers(dir).length).toBe(1);
    const damagedCopy = await folder();
    await cp(dir, damagedCopy, { recursive: true });
    await garble(damagedCopy, firstAuditLeaf(damagedCopy));
    expect(openError(damagedCopy)).toMatch(/cannot be used: (integrity check|database disk image is malformed)/);
    // Refused, so the marker stays: the next open checks the whole file again.
    expect(markers(damagedCopy).length).toBe(1);

    const first = openSqliteStore(dir);
    expect(first.checked).toBe("full");
    expect((await first.audit.query({})).map((r) => r.requestId)).toContain("req_from_the_killed_writer");
    first.close();
    expect(markers(dir)).toEqual([]);
    const second = openSqliteStore(dir);
    expect(second.checked).toBe("tables");
    second.close();
  });

  it("keeps the marker of a writer that is still running, and removes it when that writer closes", async () => {
    const dir = await cleanStore();
    const server = openSqliteStore(dir);
    await server.audit.write(auditRecord({ time: Date.now() }));
    expect(markers(dir)).toEqual([`.gatehouse.db.open-${process.pid}`]);
    const cli = openSqliteStore(dir);
    expect(cli.checked).toBe("tables");
    cli.close();
    expect(markers(dir).length).toBe(1);
    server.close();
    expect(markers(dir)).toEqual([]);
  });
});
