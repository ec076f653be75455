import type { AuditFilter, AuditRecord } from "../../ports/audit-sink.ts";

/** True when the record passes every condition the filter sets. */
export function matchesAuditFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.requestId !== undefined && record.requestId !== filter.requestId) return false;
  if (filter.gatewayId !== undefined && record.gatewayId !== filter.gatewayId) return false;
  if (filter.endpoint !== undefined && record.endpoint !== filter.endpoint) return false;
  if (filter.tokenId !== undefined && record.tokenId !== filter.tokenId) return false;
  if (filter.since !== undefined && record.time < filter.since) return false;
  if (filter.until !== undefined && record.time >= filter.until) return false;
  if (filter.status !== undefined && record.status !== filter.status) return false;
  if (filter.statusClass !== undefined && Math.floor(record.status / 100) !== filter.statusClass) return false;
  return true;
}
