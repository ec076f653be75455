import type { UpstreamResponse } from "../../ports/upstream-client.ts";

/** Statuses whose responses never have a body (RFC 9110 §6.4.1). */
const NO_BODY = new Set([204, 304]);
const EMPTY: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) };

/**
 * A 204 or 304 as the client must get it: no body. undici fails such a body when the upstream
 * declared a `Content-Length` it did not send (304 with `Content-Length: 1234`, legal) or sent
 * bytes after a 204; that failure, after the head was accepted, cut the client's connection
 * before any status line. The caller ignores whatever undici still reports of the body and
 * answers this empty one; a 204 also loses `Content-Length` / `Transfer-Encoding`, which it may
 * not carry. Other statuses: null (the body streams as usual).
 */
export function bodilessResponse(status: number, upstreamHeaders: UpstreamResponse["headers"]): UpstreamResponse | null {
  if (!NO_BODY.has(status)) return null;
  const headers = { ...upstreamHeaders };
  if (status === 204) {
    delete headers["content-length"];
    delete headers["transfer-encoding"];
  }
  return { status, headers, body: EMPTY };
}
