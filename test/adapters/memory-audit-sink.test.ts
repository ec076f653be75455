import { describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

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
