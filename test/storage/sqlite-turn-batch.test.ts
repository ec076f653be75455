import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync, StatementSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSqliteStore, STORE_FILE_NAME, type SqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { RateLimitBucket, RateLimitResult } from "../../functions/ports/rate-limiter.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

// The SQLite limiter decides all the checks of one event-loop turn together, reading each counter
// once and writing each once (`count + n`) before the turn's commit, and the audit sink inserts a
// turn's records with multi-row INSERTs. The calls of each test are made in one turn (no await
// between them), so they share one transaction: what the limiter decides must be what deciding
// them one by one would, what is committed exactly what was admitted and written, and a failed
// transaction must leave nothing of its turn.

const NOW = Date.UTC(2026, 5, 1, 12, 0, 30);
const endpoint: RateLimitBucket = { key: "gw/items/*", scope: "endpoint", perMinute: 5 };
const tokenA: RateLimitBucket = { key: "gw/items/tok_a", scope: "token", perMinute: 2, perHour: 10 };
const tokenB: RateLimitBucket = { key: "gw/items/tok_b", scope: "token", perMinute: 4 };
let folder: string;
let store: SqliteStore;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "gatehouse-rate-turn-"));
  store = openSqliteStore(join(folder, "data"));
});
afterEach(async () => {
  store.close();
  await rm(folder, { recursive: true, force: true });
});

/** The counters as another connection to the file sees them (only what was committed). */
function committedCounts(): Record<string, number> {
  const other = new DatabaseSync(join(folder, "data", STORE_FILE_NAME), { readOnly: true });
  const rows = other.prepare("SELECT counter, count FROM rate_counters ORDER BY counter").all() as { counter: string; count: number }[];
  other.close();
  return Object.fromEntries(rows.map((row) => [row.counter.split("|").slice(0, 2).join("|"), Number(row.count)]));
}

const consume = (buckets: RateLimitBucket[]): Promise<RateLimitResult> => store.rateLimiter.consume({ now: NOW, buckets });

describe("SQLite rate limiter, checks of one turn", () => {
  it("decides them in order as if one by one, a refusal counting nothing, and commits exactly the admitted counts", async () => {
    const results = await Promise.all([
      consume([tokenA, endpoint]),
      consume([tokenA, endpoint]),
      consume([tokenA, endpoint]), // tok_a's own minute cap (2) is full: refused, the endpoint not counted
      consume([tokenB, endpoint]),
      consume([tokenB, endpoint]),
      consume([tokenB, endpoint]),
      consume([tokenB, endpoint]), // the endpoint's 5 are taken by now
    ]);
    expect(results.map((r) => r.allowed)).toEqual([true, true, false, true, true, true, false]);
    expect(results[2]).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
    expect(results[2]!.windows).toEqual([
      { scope: "token", window: "minute", limit: 2, remaining: 0, resetSeconds: 30 },
      { scope: "token", window: "hour", limit: 10, remaining: 8, resetSeconds: 3570 },
      { scope: "endpoint", window: "minute", limit: 5, remaining: 3, resetSeconds: 30 },
    ]);
    expect(results[5]!.windows.map((w) => w.remaining)).toEqual([1, 0]);
    expect(results[6]!.windows).toEqual([
      { scope: "token", window: "minute", limit: 4, remaining: 1, resetSeconds: 30 },
      { scope: "endpoint", window: "minute", limit: 5, remaining: 0, resetSeconds: 30 },
    ]);
    expect(committedCounts()).toEqual({ "gw/items/*|minute": 5, "gw/items/tok_a|hour": 2, "gw/items/tok_a|minute": 2, "gw/items/tok_b|minute": 3 });
    // The next turn reads what the last one committed.
    expect((await consume([tokenB, endpoint])).allowed).toBe(false);
    expect(await consume([tokenB])).toMatchObject({ allowed: true, windows: [{ remaining: 0 }] });
    expect(committedCounts()["gw/items/tok_b|minute"]).toBe(4);
  });

  it("reads and writes each counter once per turn, however many checks of the turn count in it", async () => {
    await consume([tokenA]); // the minute's sweep of old counters runs here, not in the turn measured
    const reads = vi.spyOn(StatementSync.prototype, "get");
    const writes = vi.spyOn(StatementSync.prototype, "run");
    const results = await Promise.all(Array.from({ length: 8 }, () => consume([tokenB, endpoint])));
    const statements = { reads: reads.mock.calls.length, writes: writes.mock.calls.length };
    vi.restoreAllMocks();
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, false, false, false, false]); // tok_b's cap of 4
    // Two counters (tok_b's minute, the endpoint's minute): one read and one `count + n` each.
    expect(statements).toEqual({ reads: 2, writes: 2 });
    expect(committedCounts()).toEqual({ "gw/items/*|minute": 4, "gw/items/tok_a|hour": 1, "gw/items/tok_a|minute": 1, "gw/items/tok_b|minute": 4 });
  });

  it("rejects every check of a turn whose transaction fails after they were decided, and commits none of them", async () => {
    await consume([tokenA]);
    const checks = [consume([tokenA]), consume([tokenB])];
    const failing = store.database.batched(() => {
      throw new Error("disk I/O error");
    });
    const settled = await Promise.allSettled([...checks, failing]);
    expect(settled.map((s) => (s.status === "rejected" ? String(s.reason) : "fulfilled"))).toEqual(Array(3).fill("Error: disk I/O error"));
    expect(committedCounts()).toEqual({ "gw/items/tok_a|hour": 1, "gw/items/tok_a|minute": 1 });
    // Nothing of the failed turn lingers: the next turn decides from the committed counts.
    expect(await consume([tokenA])).toMatchObject({ allowed: true, windows: [{ remaining: 0 }, { remaining: 8 }] });
  });

  it("rejects the checks of a turn whose transaction failed before they were decided, and the next turn decides anew", async () => {
    const failing = store.database.batched(() => {
      throw new Error("database is locked");
    });
    const checks = [consume([tokenB]), consume([tokenB])];
    const settled = await Promise.allSettled([failing, ...checks]);
    expect(settled.map((s) => (s.status === "rejected" ? String(s.reason) : "fulfilled"))).toEqual(Array(3).fill("Error: database is locked"));
    expect(committedCounts()).toEqual({});
    expect(await Promise.all([consume([tokenB]), consume([tokenB])])).toMatchObject([{ windows: [{ remaining: 3 }] }, { windows: [{ remaining: 2 }] }]);
    expect(committedCounts()).toEqual({ "gw/items/tok_b|minute": 2 });
  });
});

describe("SQLite audit sink, records of one turn", () => {
  const T = Date.UTC(2026, 5, 1, 12, 0, 0);

  it("inserts them in order with INSERTs of at most 32 rows, each write resolving after the commit", async () => {
    const inserts = vi.spyOn(StatementSync.prototype, "run");
    const records = Array.from({ length: 70 }, (_, i) => auditRecord({ time: T + i, status: 200 + (i % 3) }));
    const anonymous = auditRecord({ time: T + 70, gatewayId: null, tokenId: null, decision: "NO_TOKEN" });
    const writes = [...records, anonymous].map((record) => store.audit.write(record));
    await Promise.all(writes);
    const statements = inserts.mock.calls.length;
    vi.restoreAllMocks();
    expect(statements).toBe(3); // 32 + 32 + 7
    expect(await store.audit.query({})).toEqual([...records, anonymous]);
    expect(await store.audit.query({ tokenId: records[0]!.tokenId! })).toHaveLength(70);
    const other = new DatabaseSync(join(folder, "data", STORE_FILE_NAME), { readOnly: true });
    const columns = other.prepare("SELECT count(*) AS n, count(gateway_id) AS gateways, count(token_id) AS tokens FROM audit").get();
    other.close();
    expect(columns).toEqual({ n: 71, gateways: 70, tokens: 70 });
  });

  it("rejects every write of a turn whose transaction fails, and keeps none of its records", async () => {
    await store.audit.write(auditRecord({ time: T }));
    const writes = Array.from({ length: 40 }, (_, i) => store.audit.write(auditRecord({ time: T + 1 + i })));
    const failing = store.database.batched(() => {
      throw new Error("disk I/O error");
    });
    const settled = await Promise.allSettled([...writes, failing]);
    expect(settled.filter((s) => s.status === "rejected" && String(s.reason) === "Error: disk I/O error")).toHaveLength(41);
    expect((await store.audit.query({})).map((r) => r.time - T)).toEqual([0]);
    // The next turn's records are kept.
    await Promise.all([store.audit.write(auditRecord({ time: T + 50 })), store.audit.write(auditRecord({ time: T + 51 }))]);
    expect((await store.audit.query({})).map((r) => r.time - T)).toEqual([0, 50, 51]);
  });
});
