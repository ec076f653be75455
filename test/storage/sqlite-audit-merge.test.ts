import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { AuditFilter, AuditRecord } from "../../functions/ports/audit-sink.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

// The audit table has no index on time alone. A query naming no gateway, token or request (the
// default `gatehouse audit`, each poll of `--follow`) merges one time-ordered range of
// audit_by_gateway per gateway. Checked here against the same records sorted in JS, and through
// the plan SQLite itself reports for the statements the query ran: no full scan, no full sort.

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const gateway = (n: number) => `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`;
let folder: string;

/** A store holding `records`, written in one turn. */
async function storeWith(name: string, records: AuditRecord[]): Promise<SqliteStore> {
  const store = openSqliteStore(join(folder, name));
  await Promise.all(records.map((record) => store.audit.write(record)));
  return store;
}

/** What the query must answer: the matching records oldest first, the latest `limit` of them. */
function expected(records: AuditRecord[], filter: AuditFilter): string[] {
  const matching = records
    .filter((r) => (filter.since === undefined || r.time >= filter.since) && (filter.until === undefined || r.time < filter.until))
    .filter((r) => filter.status === undefined || r.status === filter.status)
    .sort((a, b) => a.time - b.time || (a.requestId < b.requestId ? -1 : 1));
  return (filter.limit === undefined ? matching : matching.slice(-filter.limit)).map((r) => r.requestId);
}

/** The query's answer and the plan SQLite reports for each statement it ran on the audit rows. */
async function queried(store: SqliteStore, filter: AuditFilter): Promise<{ ids: string[]; plans: string[] }> {
  const prepare = vi.spyOn(store.database, "statement");
  const ids = (await store.audit.query(filter)).map((r) => r.requestId);
  const statements = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /^SELECT (time, request_id, )?record FROM audit/.test(sql));
  prepare.mockRestore();
  const plans = statements.map((sql) =>
    (store.database.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(" | "),
  );
  return { ids, plans };
}

// Three gateways of very different sizes and records of no gateway (a 404 for an unknown one),
// interleaved in time, with ties in time across gateways (ordered by request id, newest first).
const records: AuditRecord[] = Array.from({ length: 3000 }, (_, i) =>
  auditRecord({
    time: T0 + Math.floor(i / 3),
    gatewayId: i % 50 === 0 ? null : gateway(i % 10 === 0 ? 2 : i % 97 === 0 ? 3 : 1),
    status: i % 7 === 0 ? 404 : 200,
  }),
);
let store: SqliteStore;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "gatehouse-audit-merge-"));
  store = await storeWith("three", records);
});
afterAll(async () => {
  store.close();
  await rm(folder, { recursive: true, force: true });
});

describe("SqliteAuditSink.query across gateways", () => {
  it.each<[string, AuditFilter]>([
    ["the latest 100", { limit: 100 }],
    ["the latest 7", { limit: 7 }],
    ["a time range", { since: T0 + 200, until: T0 + 260 }],
    ["a --follow poll", { since: T0 + 990 }],
    ["a range with a limit", { since: T0 + 100, until: T0 + 900, limit: 50 }],
    ["404s, the latest 10", { status: 404, limit: 10 }],
  ])("answers %s as a sort of all records would, through audit_by_gateway with no full scan or sort", async (_name, filter) => {
    const { ids, plans } = await queried(store, filter);
    expect(ids).toEqual(expected(records, filter));
    expect(ids.length).toBeGreaterThan(0);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain("MERGE (UNION ALL)");
    expect(plans[0]!.match(/USING INDEX audit_by_gateway/g)).toHaveLength(4); // three gateways and no gateway
    expect(plans[0]).not.toMatch(/SCAN audit|TEMP B-TREE FOR ORDER BY/);
  });

  it("reads one range when the store holds one gateway", async () => {
    const one = records.filter((r) => r.gatewayId === gateway(1));
    const single = await storeWith("one", one);
    const { ids, plans } = await queried(single, { limit: 20 });
    single.close();
    expect(ids).toEqual(expected(one, { limit: 20 }));
    expect(plans[0]).toMatch(/^SEARCH audit USING INDEX audit_by_gateway \(gateway_id=\?\)/);
  });

  it("scans the table, with the same answers, when the store holds more gateways than it merges", async () => {
    const many = Array.from({ length: 700 }, (_, i) => auditRecord({ time: T0 + Math.floor(i / 2), gatewayId: gateway(i % 70) }));
    const wide = await storeWith("many", many);
    const latest = await queried(wide, { limit: 30 });
    const range = await queried(wide, { since: T0 + 100, until: T0 + 120 });
    wide.close();
    expect(latest.ids).toEqual(expected(many, { limit: 30 }));
    expect(range.ids).toEqual(expected(many, { since: T0 + 100, until: T0 + 120 }));
    expect(latest.plans[0]).toContain("SCAN audit");
  });
});
