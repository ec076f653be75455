import type { AuditRecord, AuditSink } from "../ports/audit-sink.ts";
import type { Log } from "../ports/log.ts";
import { errorMessage } from "../../schema/error-message.ts";

/**
 * Writes the record; if the sink fails, the record goes to the structured log with the marker
 * `auditFallback: true`, so it is never dropped silently. Never throws.
 */
export function writeAudit(sink: AuditSink, log: Log, record: AuditRecord): Promise<void> {
  // One derived promise, not an async function's own and its await's: this is every request's last step.
  let written: Promise<void>;
  try {
    written = sink.write(record);
  } catch (error) {
    written = Promise.reject(error);
  }
  return written.then(undefined, (error: unknown) => {
    log.error("audit.write_failed", {
      auditFallback: true,
      error: errorMessage(error),
      record,
    });
  });
}
