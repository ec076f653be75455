import type { ChunkFilter } from "../ports/http-types.ts";

/** The byte every byte of a found secret is replaced with (`*`): same length, so framing stays right. */
const MASK = 0x2a;
/**
 * Values shorter than this are not scrubbed: masking every `abc` in every body would corrupt
 * responses for no gain (a secret that short is guessable anyway).
 */
export const MIN_SCRUBBED_LENGTH = 4;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * Masks secret values in one response: header values always, the body as it streams when it
 * is not compressed. Pure (web APIs only, Uint8Array): the engine's streaming step, no buffering
 * of the body beyond the longest secret.
 */
export class SecretScrubber {
  /** The secrets as UTF-8 bytes, longest first. */
  private readonly needles: Uint8Array[];
  private readonly skips: Int32Array[];
  private readonly strings: string[];

  constructor(values: readonly string[]) {
    const unique = [...new Set(values.filter((v) => v.length >= MIN_SCRUBBED_LENGTH))].sort((a, b) => b.length - a.length);
    this.strings = unique;
    this.needles = unique.map((v) => encoder.encode(v));
    this.skips = this.needles.map(shiftTable);
  }

  /** Whether there is anything to scrub. */
  get active(): boolean {
    return this.needles.length > 0;
  }

  /** Masks secrets in header values in place; returns whether any was found. */
  scrubHeaders(headers: Record<string, string | string[]>): boolean {
    let found = false;
    for (const name in headers) {
      const value = headers[name]!;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const masked = this.scrubString(value[i]!);
          if (masked !== value[i]) (value[i] = masked), (found = true);
        }
      } else {
        const masked = this.scrubString(value);
        if (masked !== value) (headers[name] = masked), (found = true);
      }
    }
    return found;
  }

  /**
   * The body filter of one response: every secret masked, chunk by chunk. Each output chunk is
   * the held-back tail plus the new chunk, minus a new tail that could be the start of a secret
   * (held back to be searched with the next chunk; anything before it is searched whole).
   * `onScrub` runs at the first match.
   */
  filter(onScrub: () => void): ChunkFilter {
    return new ScrubFilter(this, onScrub);
  }

  /**
   * One step of {@link filter}: masks `held` + `chunk` and splits it into what can be sent
   * now and the new tail. `scrubbed` tells whether anything was masked.
   */
  step(held: Uint8Array, chunk: Uint8Array): { send: Uint8Array | null; held: Uint8Array; scrubbed: boolean } {
    let window: Uint8Array;
    if (held.byteLength === 0) window = chunk;
    else {
      window = new Uint8Array(held.byteLength + chunk.byteLength);
      window.set(held);
      window.set(chunk, held.byteLength);
    }
    // A fresh window is ours to mask; a chunk handed to us is copied only when it has a match.
    const found = this.maskAll(window, window !== chunk);
    const masked = found ?? window;
    const cut = this.cutAt(masked);
    // The tail is copied: the chunk's owner may reuse its memory once we yield.
    return {
      send: cut > 0 ? (cut === masked.byteLength ? masked : masked.subarray(0, cut)) : null,
      held: cut === masked.byteLength ? EMPTY : masked.slice(cut),
      scrubbed: found !== null,
    };
  }

  /**
   * Where the bytes that may be sent now end: before the longest tail of `bytes` that is the
   * start of a secret (only such a tail can become a secret with the next chunk). Most chunks
   * end in no secret's first bytes, so nothing is held back and the chunk goes out whole.
   */
  private cutAt(bytes: Uint8Array): number {
    let cut = bytes.byteLength;
    for (const needle of this.needles) {
      const first = needle[0]!;
      // A tail shorter than the secret; positions before `cut` would only give a shorter hold.
      for (let at = Math.max(0, bytes.byteLength - needle.byteLength + 1); at < cut; at++) {
        if (bytes[at] !== first) continue;
        let j = 1;
        while (at + j < bytes.byteLength && bytes[at + j] === needle[j]) j++;
        if (at + j === bytes.byteLength) {
          cut = at;
          break;
        }
      }
    }
    return cut;
  }

  /** `text` with every secret masked (`*` per UTF-16 unit; headers are Latin-1/ASCII in practice). */
  scrubString(text: string): string {
    let out = text;
    for (const secret of this.strings) {
      if (out.includes(secret)) out = out.split(secret).join("*".repeat(secret.length));
    }
    return out;
  }

  /**
   * Masks matches: null when nothing matched, else the masked bytes (`bytes` itself when
   * `owned`, else a copy). Boyer-Moore-Horspool per secret: secrets are long and random, so the
   * scan mostly jumps a secret's length at a time (about 1 ns a byte here; the bench measures it).
   */
  private maskAll(bytes: Uint8Array, owned: boolean): Uint8Array | null {
    let out = bytes;
    let found = false;
    for (let n = 0; n < this.needles.length; n++) {
      const needle = this.needles[n]!;
      const skip = this.skips[n]!;
      const last = needle.byteLength - 1;
      const lastByte = needle[last]!;
      const end = bytes.byteLength - needle.byteLength;
      let at = 0;
      while (at <= end) {
        const byte = out[at + last]!;
        if (byte === lastByte) {
          let j = last - 1;
          while (j >= 0 && out[at + j] === needle[j]) j--;
          if (j < 0) {
            if (!found && !owned) out = bytes.slice();
            found = true;
            out.fill(MASK, at, at + needle.byteLength);
            at += needle.byteLength;
            continue;
          }
        }
        at += skip[byte]!;
      }
    }
    return found ? out : null;
  }
}

/** Horspool's shift table: how far the window may move when its last byte is `b`. */
function shiftTable(needle: Uint8Array): Int32Array {
  const table = new Int32Array(256).fill(needle.byteLength);
  for (let i = 0; i < needle.byteLength - 1; i++) table[needle[i]!] = needle.byteLength - 1 - i;
  return table;
}

/** Whether a response body can be scrubbed: only when it is not compressed (`Content-Encoding` absent or `identity`). */
export function scrubbableBody(headers: Record<string, string | string[]>): boolean {
  const encoding = headers["content-encoding"];
  if (encoding === undefined) return true;
  const value = (Array.isArray(encoding) ? encoding.join(",") : encoding).trim().toLowerCase();
  return value === "" || value === "identity";
}

/** The filter of {@link SecretScrubber.filter}: state in fields, one per scrubbed response. */
class ScrubFilter implements ChunkFilter {
  private held: Uint8Array = EMPTY;
  private reported = false;

  constructor(
    private readonly scrubber: SecretScrubber,
    private readonly onScrub: () => void,
  ) {}

  push(chunk: Uint8Array): Uint8Array | null {
    const out = this.scrubber.step(this.held, chunk);
    this.held = out.held;
    if (out.scrubbed && !this.reported) {
      this.reported = true;
      this.onScrub();
    }
    return out.send;
  }

  end(): Uint8Array | null {
    const rest = this.held;
    this.held = EMPTY;
    return rest.byteLength > 0 ? rest : null;
  }
}
