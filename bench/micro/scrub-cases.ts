import { auditedBody } from "../../functions/engine/audited-body.ts";
import { SecretScrubber } from "../../functions/engine/scrub-secrets.ts";
import type { MicroCase } from "./measure.ts";

const KIB = 1024;
/** The size undici hands a body in, roughly (its socket reads). */
const CHUNK = 64 * KIB;

/** A body of `size` bytes of JSON-ish text, in `CHUNK`-sized chunks, with `secret` once near the end when given. */
function body(size: number, secret: string | null): Uint8Array[] {
  const bytes = new TextEncoder().encode('{"k":"v","n":12345,"s":"lorem ipsum dolor sit amet"},'.repeat(Math.ceil(size / 52))).slice(0, size);
  if (secret !== null) bytes.set(new TextEncoder().encode(secret), size - secret.length - 10);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < size; at += CHUNK) chunks.push(bytes.subarray(at, Math.min(size, at + CHUNK)));
  return chunks;
}

async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

async function drain(source: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of source) n += c.byteLength;
  return n;
}

/**
 * The response scrubber (issue 15 item 2) on a 1 KB and a 1 MB body, against iterating the same
 * chunks through the same audited body without the filter: the difference is what scrubbing adds per response of that size. Two
 * secrets (an API key and an OAuth token, the usual worst case), one of them present.
 */
export function scrubCases(): { cases: MicroCase[]; notes: string[] } {
  const secrets = ["sk_live_51Habc0123456789abcdefXYZ", "gho_16C7e42F292c6912E7710c838347Ae178B4a"];
  const scrubber = new SecretScrubber(secrets);
  const small = body(KIB, secrets[0]!);
  const large = body(KIB * KIB, secrets[0]!);
  const noop = () => {};
  const done = async () => {};
  return {
    cases: [
      { name: "baseline: 1 KB body, audited, no filter", run: () => drain(auditedBody(iterate(small), null, done)) },
      { name: "scrub 1 KB body (1 chunk)", run: () => drain(auditedBody(iterate(small), scrubber.filter(noop), done)) },
      { name: "baseline: 1 MB body, audited, no filter", run: () => drain(auditedBody(iterate(large), null, done)) },
      { name: "scrub 1 MB body (16 × 64 KB chunks)", run: () => drain(auditedBody(iterate(large), scrubber.filter(noop), done)) },
    ],
    notes: [
      "only endpoints that inject a secret or an OAuth token are scrubbed; others keep the front door's piping fast path",
      "the 1 MB case is the Boyer-Moore-Horspool scan per secret plus a copy per chunk only when a chunk ended in the start of a secret (that tail is held back)",
    ],
  };
}
