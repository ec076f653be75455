import { describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";
import { openStores } from "../../functions/front-doors/node/wire-stores.ts";

describe("MemoryAuditSink", () => {
  it("keeps at most maxRecords, dropping the oldest", async () => {
    const sink = new MemoryAuditSink({ maxRecords: 16 });
    for (let i = 0; i < 100; i++) await sink.write(auditRecord({ time: i }));
    expect(sink.records.length).toBeLessThanOrEqual(16);
    expect(sink.records.at(-1)!.time).toBe(99);
    const times = sink.records.map((r) => r.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(100 - times.length);
  });

  it("stores a copy: later changes to the written record, ssrf included, do not show", async () => {
    const sink = new MemoryAuditSink();
    const record = auditRecord({ ssrf: { rule: "private", addresses: ["10.0.0.1"] } });
    await sink.write(record);
    record.status = 599;
    record.ssrf!.addresses.push("10.0.0.2");
    expect(sink.records[0]!.status).toBe(200);
    expect(sink.records[0]!.ssrf).toEqual({ rule: "private", addresses: ["10.0.0.1"] });
  });
});

describe("the memory store of gatehouse dev --memory", () => {
  it("keeps the latest 100 audit records, newest last, so a loaded server's records die young", async () => {
    const stores = await openStores({ kind: "memory" });
    for (let i = 0; i < 1000; i++) await stores.audit.write(auditRecord({ time: i, requestId: `req_${i}` }));
    const kept = await stores.audit.query({});
    expect(kept.length).toBeGreaterThan(87); // 100 less the eighth dropped at once
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.at(-1)!.requestId).toBe("req_999");
    expect(kept[0]!.time).toBe(1000 - kept.length);
    await stores.close();
  });
});
