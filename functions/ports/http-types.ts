/**
 * The HTTP shapes the engine speaks, independent of any runtime. Front doors translate their
 * native request into a {@link GatewayRequest} and write a {@link GatewayResponse} back.
 */

/** A body: streamed chunks, bytes at once, or none. */
export type Body = AsyncIterable<Uint8Array> | Uint8Array | null;

/** Header map with lower-case names; repeated headers are arrays (Node's shape). */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** An incoming request as the front door received it. */
export interface GatewayRequest {
  method: string;
  /** The raw path, percent-encoding untouched (no query). */
  path: string;
  /** The raw query string without `?`; empty when there is none. */
  query: string;
  headers: HeaderMap;
  body: Body;
  clientAddress: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
}

/**
 * A response for the front door to send. The front door must either read `body` to its end or
 * call `return()` on its iterator (for example when the client disconnects): the engine writes
 * the audit record when the body is finished either way.
 */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: AsyncIterable<Uint8Array> | Uint8Array | null;
}
