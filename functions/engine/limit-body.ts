import type { Body } from "../ports/http-types.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

/**
 * Raised from inside a streamed body that grew past its limit: the upstream client then fails
 * the send and `forward` turns it into the BODY_TOO_LARGE refusal. Not a step result, because by
 * then the step that built the body has long returned.
 */
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
 * Passes a body through, counting bytes: a whole body over `limit` is refused now, a streamed one
 * fails as soon as it exceeds `limit`, without reading the rest (the upstream request is then
 * aborted).
 */
export function limitBody(body: Body, limit: number, count: ByteCount): StepResult<{ body: Body }> {
  if (body === null) return { ok: true, body: null };
  if (body instanceof Uint8Array) {
    count.bytes = body.byteLength;
    if (body.byteLength > limit) return refused(refuse("BODY_TOO_LARGE", new BodyTooLargeError(limit).message));
    return { ok: true, body };
  }
  return { ok: true, body: limitStream(body, limit, count) };
}

function limitStream(source: AsyncIterable<Uint8Array>, limit: number, count: ByteCount): AsyncIterable<Uint8Array> {
  return (async function* limited() {
    for await (const chunk of source) {
      count.bytes += chunk.byteLength;
      if (count.bytes > limit) throw new BodyTooLargeError(limit);
      yield chunk;
    }
  })();
}
