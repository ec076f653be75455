import type { Endpoint } from "../../schema/gateway.ts";
import type { AuditRecord } from "../ports/audit-sink.ts";
import type { ChunkFilter } from "../ports/http-types.ts";
import { SecretScrubber, scrubbableBody } from "./scrub-secrets.ts";

/**
 * The last scrubber built per endpoint and the secret values it was built from. An endpoint's
 * secrets are the same request after request (an OAuth token changes at a refresh), and
 * building one (encoding, shift tables) cost more than the scrubbing of a 1 KB body.
 */
const compiled = new WeakMap<Endpoint, { secrets: readonly string[]; scrubber: SecretScrubber }>();

function scrubberFor(endpoint: Endpoint, secrets: readonly string[]): SecretScrubber {
  const last = compiled.get(endpoint);
  if (last && sameValues(last.secrets, secrets)) return last.scrubber;
  const scrubber = new SecretScrubber(secrets);
  compiled.set(endpoint, { secrets: [...secrets], scrubber });
  return scrubber;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Scrubs an upstream response of the secrets the gateway injected for it (an upstream that
 * echoes request headers would hand them to the client): header values now, in place; for the
 * body, the filter that masks it as it streams, or null when there is nothing to do (no
 * secrets, or a compressed body). Marks `audit.secretsScrubbed` when anything was masked.
 */
export function scrubResponse(
  endpoint: Endpoint,
  secrets: readonly string[],
  headers: Record<string, string | string[]>,
  audit: AuditRecord,
): ChunkFilter | null {
  if (secrets.length === 0) return null;
  const scrubber = scrubberFor(endpoint, secrets);
  if (!scrubber.active) return null;
  if (scrubber.scrubHeaders(headers)) audit.secretsScrubbed = true;
  if (!scrubbableBody(headers)) return null;
  return scrubber.filter(() => (audit.secretsScrubbed = true));
}
