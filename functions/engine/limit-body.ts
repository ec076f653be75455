import type { Body } from "../ports/http-types.ts";

/** Thrown from inside a streamed body that grew past its limit. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** Byte counter a body wrapper reports into. */
export interface ByteCount {
  bytes: number;
}

/**
 * Passes a body through, counting bytes, and fails as soon as it exceeds `limit` without
 * reading the rest (the upstream request is then aborted).
 */
export function limitBody(body: Body, limit: number, count: ByteCount): Body {
  if (body === null) return null;
  if (body instanceof Uint8Array) {
    count.bytes = body.byteLength;
    if (body.byteLength > limit) throw new BodyTooLargeError(limit);
    return body;
  }
  const source = body;
  return (async function* limited() {
    for await (const chunk of source) {
      count.bytes += chunk.byteLength;
      if (count.bytes > limit) throw new BodyTooLargeError(limit);
      yield chunk;
    }
  })();
}
