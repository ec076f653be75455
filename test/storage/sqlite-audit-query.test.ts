import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

// `gatehouse audit` asks for the latest 100 records by default. On a store holding months of
// records that must read about 100 of them, not the whole table: the number of records parsed
// (JSON.parse calls) is what shows it, independent of the machine's speed.

const RECORDS = 2000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
let folder: string;
let store: SqliteStore;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "gatehouse-audit-query-"));
  store = openSqliteStore(join(folder, "data"));
  // One turn, one transaction; even records are 200s, odd ones 404s, on two endpoints.
  await Promise.all(
    Array.from({ length: RECORDS }, (_, i) =>
      store.audit.write(auditRecord({ time: T0 + i, status: i % 2 ? 404 : 200, endpoint: i % 4 < 2 ? "github" : "stripe" })),
    ),
  );
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  store.close();
  await rm(folder, { recursive: true, force: true });
});

/** The records `query` returns, their times as offsets from T0, and how many records it parsed. */
async function queried(filter: Parameters<SqliteStore["audit"]["query"]>[0]): Promise<{ times: number[]; parsed: number }> {
  const parse = vi.spyOn(JSON, "parse");
  const records = await store.audit.query(filter);
  const parsed = parse.mock.calls.length;
  parse.mockRestore();
  return { times: records.map((r) => r.time - T0), parsed };
}

describe("SqliteAuditSink.query with a limit", () => {
  it("parses only the latest `limit` records when SQL checks every condition, and returns them oldest first", async () => {
    expect(await queried({ limit: 5 })).toEqual({ times: [1995, 1996, 1997, 1998, 1999], parsed: 5 });
    expect(await queried({ gatewayId: auditRecord().gatewayId!, limit: 3 })).toEqual({ times: [1997, 1998, 1999], parsed: 3 });
    expect(await queried({ since: T0 + 10, until: T0 + 20, limit: 4 })).toEqual({ times: [16, 17, 18, 19], parsed: 4 });
  });

  it("stops walking once it has `limit` records that pass the conditions checked on the record", async () => {
    // Newest first: 1999 (404, stripe), 1998 (200), 1997 (404, github), 1996 (200), 1995 (404, stripe) ...
    expect(await queried({ status: 404, limit: 3 })).toEqual({ times: [1995, 1997, 1999], parsed: 5 });
    expect(await queried({ endpoint: "github", statusClass: 4, limit: 2 })).toEqual({ times: [1993, 1997], parsed: 7 });
  });

  it("still answers every match without a limit, and nothing for a limit below one", async () => {
    const all = await queried({ status: 200 });
    expect(all.times).toHaveLength(RECORDS / 2);
    expect(all.times.slice(0, 3)).toEqual([0, 2, 4]);
    expect(all.parsed).toBe(RECORDS);
    expect(await queried({ limit: 0 })).toEqual({ times: [], parsed: 0 });
  });
});
