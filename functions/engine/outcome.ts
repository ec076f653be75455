/**
 * Every way a request can end, with the status and the public words the client gets. One
 * table, so the public side of a refusal never depends on where it was decided.
 */
export const OUTCOMES = {
  ROUTE_NOT_FOUND: { status: 404, title: "Not found", detail: "No gateway endpoint at this path." },
  BAD_PATH: { status: 400, title: "Bad request", detail: "The path is malformed or climbs above the endpoint." },
  TOKEN_INVALID: { status: 401, title: "Unauthorized", detail: "A valid Gatehouse token is required (Authorization: Bearer <token>)." },
  TOKEN_NOT_SCOPED: { status: 403, title: "Forbidden", detail: "This token may not call this endpoint." },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed", detail: "This endpoint does not allow this method." },
  BODY_TOO_LARGE: { status: 413, title: "Content too large", detail: "The request body is larger than this endpoint accepts." },
  RATE_LIMITED: { status: 429, title: "Too many requests", detail: "A rate limit of this endpoint is reached." },
  CONNECTION_NOT_CONNECTED: { status: 503, title: "Connection not set up", detail: "The service connection this endpoint uses has not been connected yet." },
  CONNECTION_NEEDS_REAUTHORIZATION: {
    status: 503,
    title: "Connection needs re-authorization",
    detail: "The service connection's grant was revoked or expired; an operator must reconnect it.",
  },
  CONNECTION_MISCONFIGURED: {
    status: 503,
    title: "Connection misconfigured",
    detail: "The service connection's client credentials were refused by the provider.",
  },
  STORE_UNAVAILABLE: { status: 503, title: "Service unavailable", detail: "The gateway cannot check this request right now; nothing was forwarded." },
  SECRET_UNAVAILABLE: { status: 503, title: "Service unavailable", detail: "A credential for this endpoint is unavailable; nothing was forwarded." },
  UPSTREAM_UNREACHABLE: { status: 502, title: "Bad gateway", detail: "The upstream could not be reached." },
  UPSTREAM_TIMEOUT: { status: 504, title: "Gateway timeout", detail: "The upstream did not answer in time." },
  CLIENT_TIMEOUT: { status: 408, title: "Request timeout", detail: "The request body did not arrive in time." },
  CLIENT_ABORTED: { status: 499, title: "Client closed request", detail: "The client went away." },
  INTERNAL_ERROR: { status: 500, title: "Internal error", detail: "The gateway failed to handle this request." },
} as const;

/** A stable refusal code (the `code` member of problem+json, and the audit's `decision`). */
export type OutcomeCode = keyof typeof OUTCOMES;

/**
 * A refusal: a value, not an exception. `reason` is for the audit only; `headers` are added to
 * the response (Allow, WWW-Authenticate, Retry-After ...).
 */
export interface Refusal {
  code: OutcomeCode;
  reason: string;
  headers?: Record<string, string>;
  /** Extra problem members, e.g. how to reconnect. */
  extra?: Record<string, unknown>;
  ssrf?: { rule: string; addresses: string[] };
}

/**
 * What every pipeline step returns: `ok` with its values, or not `ok` with the refusal that ends
 * the request. Steps never throw for a refusal (store failures included) and never return a bare
 * `Refusal`, so the pipeline reads one way: `if (!step.ok) return refused(step.refusal)`.
 */
export type StepResult<T extends object = object> = ({ ok: true } & T) | { ok: false; refusal: Refusal };

/** A failed step. */
export function refused(refusal: Refusal): { ok: false; refusal: Refusal } {
  return { ok: false, refusal };
}

/** Builds a refusal. */
export function refuse(code: OutcomeCode, reason: string, more: Omit<Refusal, "code" | "reason"> = {}): Refusal {
  return { code, reason, ...more };
}
