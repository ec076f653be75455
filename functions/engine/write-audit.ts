import type { AuditRecord, AuditSink } from "../ports/audit-sink.ts";
import type { Log } from "../ports/log.ts";
import { errorMessage } from "../../schema/error-message.ts";

/**
 * Writes the record; if the sink fails, the record goes to the structured log with the marker
 * `auditFallback: true`, so it is never dropped silently. Never throws.
 */
export async function writeAudit(sink: AuditSink, log: Log, record: AuditRecord): Promise<void> {
  try {
    await sink.write(record);
  } catch (error) {
    log.error("audit.write_failed", {
      auditFallback: true,
      error: errorMessage(error),
      record,
    });
  }
}
