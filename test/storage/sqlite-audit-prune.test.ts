import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

const DAY = 86_400_000;
const BATCH = 100;
const OLD = 1050;
const RECENT = 20;

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A store with a retention of one day holding OLD records two days old, then RECENT ones from now. */
async function storeWithBacklog(pruneDelayMs: number): Promise<{ store: SqliteStore; now: number }> {
  const folder = await mkdtemp(join(tmpdir(), "gatehouse-prune-"));
  folders.push(folder);
  const store = openSqliteStore(join(folder, "data"), { auditRetentionDays: 1, auditPruning: { pruneBatch: BATCH, pruneDelayMs } });
  const now = Date.now();
  // In insertion order, oldest first, as the engine writes them; straight into the table, so
  // that no write arms the pruning timer before the test does.
  const insert = store.database.db.prepare("INSERT INTO audit (time, request_id, gateway_id, token_id, record) VALUES (?, ?, ?, ?, ?)");
  store.database.write("fast", () => {
    for (let i = 0; i < OLD + RECENT; i++) {
      const record = auditRecord({ time: i < OLD ? now - 2 * DAY + i : now - 1000 + i });
      insert.run(record.time, record.requestId, record.gatewayId, record.tokenId, JSON.stringify(record));
    }
  });
  return { store, now };
}

function counts(store: SqliteStore, now: number): { old: number; recent: number } {
  const row = store.database.db.prepare("SELECT sum(time < ?) AS old, sum(time >= ?) AS recent FROM audit").get(now - DAY, now - DAY) as {
    old: number;
    recent: number;
  };
  return { old: Number(row.old), recent: Number(row.recent) };
}

describe("pruning of expired audit records on SQLite", () => {
  it("deletes a backlog in steps of at most the batch, oldest first, and keeps every record inside the retention", async () => {
    const { store, now } = await storeWithBacklog(3_600_000);
    const steps: number[] = [];
    for (let step = store.audit.pruneStep(now); ; step = store.audit.pruneStep(now)) {
      steps.push(step);
      if (step < BATCH) break;
    }
    // 1050 = 10 full steps of 100 and one of 50; the step that finds less than a batch ends the pass.
    expect(steps).toEqual([...Array.from({ length: 10 }, () => BATCH), 50]);
    expect(counts(store, now)).toEqual({ old: 0, recent: RECENT });
    expect(store.audit.pruneStep(now)).toBe(0);
    expect((await store.audit.query({})).length).toBe(RECENT);
    store.close();
  });

  it("runs off the request path: audit writes made while a backlog is pruned complete between its steps", async () => {
    const { store, now } = await storeWithBacklog(0);
    // The first write arms the timer (delay 0 here, a minute by default): steps run on timer turns.
    const seen: number[] = [];
    let written = 0;
    while (counts(store, now).old > 0) {
      await store.audit.write(auditRecord({ time: Date.now() }));
      written += 1;
      seen.push(counts(store, now).old);
      if (written > 10_000) throw new Error("pruning made no progress");
    }
    // Writes were answered while old records were still there: the pass did not run as one block.
    const during = seen.filter((old) => old > 0 && old < OLD);
    expect(during.length).toBeGreaterThan(0);
    // Every state a write saw is a whole number of steps into the pass: bounded steps, never a partial one.
    for (const old of seen) expect((OLD - old) % BATCH === 0 || old === 0).toBe(true);
    expect(counts(store, now)).toEqual({ old: 0, recent: RECENT + written });
    store.close();
  });

  it("stops its timer when the store closes", async () => {
    const { store, now } = await storeWithBacklog(50);
    // The write arms the timer; the store closes in the same tick, committing the write first.
    const write = store.audit.write(auditRecord({ time: Date.now(), requestId: "req_written_at_close" }));
    store.close();
    await write;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reopened = openSqliteStore(store.file.replace(/\/gatehouse\.db$/, ""), { auditPruning: { pruneDelayMs: 3_600_000 } });
    // The pass armed with a 50 ms delay never ran on the closed store: the backlog is all there.
    expect(counts(reopened, now)).toEqual({ old: OLD, recent: RECENT + 1 });
    expect((await reopened.audit.query({})).map((r) => r.requestId)).toContain("req_written_at_close");
    reopened.close();
  });
});
