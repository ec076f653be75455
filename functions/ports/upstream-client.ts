import type { Body, ClientSignal } from "./http-types.ts";

/**
 * UpstreamClient: sends one request to an upstream and returns its response as it arrives.
 *
 * Contract:
 * - Any HTTP status, including 3xx, is a result: redirects are never followed.
 * - Failures reject with {@link UpstreamError}: `timeout` when `timeoutMs` passes before the
 *   response head arrives, `unreachable` when no connection could be made (refused, reset,
 *   DNS failure, or refused by the SSRF guard: `guard` holds the rule for the audit only),
 *   `aborted` when `signal` fired, `body` when reading the request body failed (its error is
 *   the `cause`, for example a body over the size limit), `client_timeout` when `timeoutMs`
 *   passed while the client's body was still awaited (the client stalled, not the upstream).
 * - The response body streams; the caller must consume it or call `return()` on it.
 * - Connections are pooled per origin; every new connection passes the SSRF guard.
 */
export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
}

/** One request to an upstream. */
export interface UpstreamRequest {
  /** `https://api.example.com` (scheme, host, port; no path). */
  origin: string;
  /** The raw path and query, bytes exactly as they will be sent (`/v1/items?x=%2F`). */
  path: string;
  method: string;
  /** Flat name/value pairs, already filtered by the header policy. */
  headers: Record<string, string>;
  body: Body;
  timeoutMs: number;
  signal?: ClientSignal;
  /** CIDRs the endpoint may reach although private (`unsafeAllowPrivateNetworks`). */
  allowPrivate: readonly string[];
}

/** The upstream's answer. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

/** Why an upstream call failed. */
export type UpstreamFailure = "timeout" | "client_timeout" | "unreachable" | "aborted" | "body";

/** A failed upstream call. */
export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
    readonly details: { guard?: { rule: string; addresses: string[] }; cause?: unknown } = {},
  ) {
    super(message);
  }
}
