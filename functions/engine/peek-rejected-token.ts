import type { RejectedTokenSignal } from "../ports/connection-tokens.ts";
import type { UpstreamResponse } from "../ports/upstream-client.ts";

/**
 * Whether a 200 answer says the bearer was refused (a provider's {@link RejectedTokenSignal}),
 * reading no more than `signal.maxBytes` and only bodies that can hold such an answer: status
 * 200, a JSON content type, no content coding, and a `Content-Length` (when given) within the
 * bound. The response comes back whole either way: the bytes read are put in front of the rest
 * of the stream, so a longer body still streams.
 */
export async function peekRejectedToken(response: UpstreamResponse, signal: RejectedTokenSignal): Promise<{ rejected: boolean; response: UpstreamResponse }> {
  const untouched = { rejected: false, response };
  if (response.status !== 200) return untouched;
  const type = header(response, "content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) return untouched;
  const coding = header(response, "content-encoding")?.trim().toLowerCase();
  if (coding && coding !== "identity") return untouched;
  const length = header(response, "content-length");
  if (length !== undefined && !(/^\d+$/.test(length) && Number(length) <= signal.maxBytes)) return untouched;

  const iterator = response.body[Symbol.asyncIterator]();
  const read: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size <= signal.maxBytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    read.push(next.value);
    size += next.value.byteLength;
  }
  const body = replay(read, done ? null : iterator);
  if (!done) return { rejected: false, response: { ...response, body } };
  return { rejected: signal.matches(concat(read, size)), response: { ...response, body } };
}

/** The bytes already read, then the rest of the upstream stream (closed with it). */
async function* replay(read: Uint8Array[], rest: AsyncIterator<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  let finished = rest === null;
  try {
    for (const chunk of read) yield chunk;
    if (!rest) return;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await rest?.return?.();
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function header(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
