import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";

/** What every write answers: the record is in the array once `write` returns. One promise for all, not one per write. */
const WRITTEN: Promise<void> = Promise.resolve();

/** Options of {@link MemoryAuditSink}. */
export interface MemoryAuditSinkOptions {
  /** Most records kept; the oldest go first. @default 10000 */
  maxRecords?: number;
}

/**
 * AuditSink and AuditReader over an array; `records` is open for assertions, oldest first.
 * Bounded, because `gatehouse dev --memory` and the bench run for millions of requests: past
 * `maxRecords` the oldest eighth is dropped at once, so trimming costs O(1) per write amortised.
 */
export class MemoryAuditSink implements AuditSink, AuditReader {
  readonly records: AuditRecord[] = [];
  private readonly maxRecords: number;

  constructor(options: MemoryAuditSinkOptions = {}) {
    this.maxRecords = Math.max(1, options.maxRecords ?? 10_000);
  }

  write(record: AuditRecord): Promise<void> {
    // A copy, so the caller's later changes never alter what was "stored". Records are flat but
    // for `ssrf`, so a shallow copy plus that one object does what structuredClone did, cheaply.
    const copy = { ...record };
    if (record.ssrf) copy.ssrf = { rule: record.ssrf.rule, addresses: [...record.ssrf.addresses] };
    if (this.records.length >= this.maxRecords) this.records.splice(0, Math.max(1, this.maxRecords >> 3));
    this.records.push(copy);
    return WRITTEN;
  }

  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    const found = this.records.filter((r) => matchesAuditFilter(r, filter)).sort((a, b) => a.time - b.time);
    return filter.limit !== undefined ? found.slice(-filter.limit) : found;
  }
}
