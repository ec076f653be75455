import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { auditSinkContract } from "./audit-sink-contract.ts";
import { rateLimiterContract } from "./rate-limiter-contract.ts";
import { tokenStoreContract } from "./token-store-contract.ts";

const opened: SqliteStore[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const store of opened) store.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A fresh store file per test, so every adapter starts on an empty store as the contract assumes. */
async function fresh(): Promise<SqliteStore> {
  const folder = await mkdtemp(join(tmpdir(), "gatehouse-sqlite-contract-"));
  folders.push(folder);
  const store = openSqliteStore(join(folder, "data"));
  opened.push(store);
  return store;
}

tokenStoreContract("SQLite", async () => (await fresh()).tokens);
rateLimiterContract("SQLite", async () => (await fresh()).rateLimiter);
auditSinkContract("SQLite", async () => (await fresh()).audit);
