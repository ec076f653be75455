import type { SsrfCode } from "../../../../schema/ssrf/index.ts";

/** The `code` every guard refusal carries, so callers map it to one uniform 502. */
export const GATEHOUSE_SSRF_REFUSED = "GATEHOUSE_SSRF_REFUSED";

/** What a refusal records for the audit log. */
export interface SsrfRefusalDetails {
  /** The stable SSRF_* code of the check that refused. */
  guardCode: SsrfCode;
  rule: string;
  reason: string;
  /** The host the request asked for. */
  hostname: string;
  /** Every address the name resolved to (empty for a refusal before or without DNS). */
  addresses: string[];
}

/**
 * Raised (through undici's connect callback) when the guard refuses a connection. The
 * gateway turns it into a 502 that does not tell a blocked address from a closed port;
 * `rule` and `reason` go to the audit record only.
 */
export class SsrfRefusedError extends Error {
  override name = "SsrfRefusedError";
  readonly code = GATEHOUSE_SSRF_REFUSED;
  readonly guardCode: SsrfCode;
  readonly rule: string;
  readonly reason: string;
  readonly hostname: string;
  readonly addresses: string[];

  constructor(details: SsrfRefusalDetails) {
    super(`upstream connection refused by the SSRF guard (${details.rule}): ${details.reason}`);
    this.guardCode = details.guardCode;
    this.rule = details.rule;
    this.reason = details.reason;
    this.hostname = details.hostname;
    this.addresses = details.addresses;
  }
}
