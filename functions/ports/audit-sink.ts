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
}

/** Reads audit records back (the CLI); adapters that store records implement it. */
export interface AuditReader {
  query(filter: AuditFilter): Promise<AuditRecord[]>;
}

/** What `gatehouse audit` filters on. Times are epoch milliseconds. */
export interface AuditFilter {
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

/** One audited request. */
export interface AuditRecord {
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  /** The event kind: `proxy.request`, or `oauth.connect`, `oauth.refresh`, `oauth.refresh_failed`. */
  event: string;
  gatewayId: string | null;
  gatewayName: string | null;
  endpoint: string | null;
  tokenId: string | null;
  tokenLabel: string | null;
  method: string;
  /** Path with query values redacted unless the endpoint lists them. */
  path: string;
  /** Status sent to the client. */
  status: number;
  upstreamStatus: number | null;
  /** A stable code: `OK`, `TOKEN_MISSING`, `RATE_LIMITED`, `UPSTREAM_TIMEOUT`, ... */
  decision: string;
  /** Why, in more detail than the client was told (e.g. which token check failed). */
  reason: string | null;
  durationMs: number;
  upstreamDurationMs: number | null;
  bytesIn: number;
  bytesOut: number;
  clientAddress: string;
  userAgent: string | null;
  /** Hash of the definition that decided. */
  revision: string | null;
  /** For guard refusals: the SSRF rule and the addresses it saw. */
  ssrf?: { rule: string; addresses: string[] } | null;
  /** The client went away before the response was complete. */
  clientAborted?: boolean;
  /** An injected secret or OAuth token came back from the upstream and was masked before the client saw it. */
  secretsScrubbed?: boolean;
}
