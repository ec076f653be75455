import type { AuditRecordShape } from "../../schema/audit-record.ts";

/**
 * AuditSink: one record per request, admitted or refused.
 *
 * Contract:
 * - `write` resolves once the record is durable in the sink; it rejects when it is not.
 * - The engine never drops a record silently: on rejection it writes the record to the
 *   structured log with `"auditFallback": true` (see `writeAudit`).
 * - Records carry no header values, no bodies, no secrets and no tokens (only the token id).
 */
export interface AuditSink {
  write(record: AuditRecord): Promise<void>;
  /**
   * True when every write resolves at the end of the event loop's turn, together with the other
   * writes of that turn (the SQLite sink's one transaction per turn): the responses waiting for
   * them then already end together, and the Node door need not gather their ends itself.
   */
  readonly resolvesPerTurn?: boolean;
}

/** Reads audit records back (the CLI); adapters that store records implement it. */
export interface AuditReader {
  query(filter: AuditFilter): Promise<AuditRecord[]>;
}

/** What `gatehouse audit` filters on. Times are epoch milliseconds. */
export interface AuditFilter {
  /** The record of one request (`X-Request-Id`). */
  requestId?: string;
  gatewayId?: string;
  endpoint?: string;
  tokenId?: string;
  since?: number;
  until?: number;
  /** Exact status (404) or class (4 for 4xx). */
  status?: number;
  statusClass?: number;
  limit?: number;
}

/**
 * One audited request. Its fields are documented, and checked, by `AuditRecordSchema`
 * (schema/audit-record.ts), the same source as the JSON Schema shipped in the package.
 */
export type AuditRecord = AuditRecordShape;
