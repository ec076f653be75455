import type { AuditFilter, AuditReader, AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { matchesAuditFilter } from "../shared/matches-audit-filter.ts";

/** AuditSink and AuditReader over an array; `records` is open for assertions. */
export class MemoryAuditSink implements AuditSink, AuditReader {
  readonly records: AuditRecord[] = [];

  async write(record: AuditRecord): Promise<void> {
    this.records.push(structuredClone(record));
  }

  async query(filter: AuditFilter): Promise<AuditRecord[]> {
    const found = this.records.filter((r) => matchesAuditFilter(r, filter)).sort((a, b) => a.time - b.time);
    return filter.limit !== undefined ? found.slice(-filter.limit) : found;
  }
}
