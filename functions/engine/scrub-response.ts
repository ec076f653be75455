import type { AuditRecord } from "../ports/audit-sink.ts";
import { SecretScrubber, scrubbableBody } from "./scrub-secrets.ts";

/**
 * Scrubs an upstream response of the secrets the gateway injected for it (an upstream that
 * echoes request headers would hand them to the client): header values now, the body as it
 * streams unless compressed. Marks `audit.secretsScrubbed` when anything was masked. With no
 * secrets, the body is returned untouched (and keeps the front door's piping fast path).
 */
export function scrubResponse(
  secrets: readonly string[],
  headers: Record<string, string | string[]>,
  body: AsyncIterable<Uint8Array>,
  audit: AuditRecord,
): AsyncIterable<Uint8Array> {
  if (secrets.length === 0) return body;
  const scrubber = new SecretScrubber(secrets);
  if (!scrubber.active) return body;
  if (scrubber.scrubHeaders(headers)) audit.secretsScrubbed = true;
  if (!scrubbableBody(headers)) return body;
  return scrubber.scrubBody(body, () => (audit.secretsScrubbed = true));
}
