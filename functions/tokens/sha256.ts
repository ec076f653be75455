/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, synchronous. The engine hashes every client token
 * on the hot path and must run on any runtime; Web Crypto's `crypto.subtle.digest` is the
 * standard API but is asynchronous (a promise, and in Node a trip to the thread pool per call),
 * which measured slower per request than this for a 59-byte token. Checked against
 * `node:crypto` in test/tokens/sha256.test.ts.
 * @see https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19] as const;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const encoder = new TextEncoder();
// Scratch space reused by every call (hashing is synchronous, so no two calls share it at once):
// the message bytes with their padding, the message schedule and the running state.
let bytes = new Uint8Array(256);
const W = new Uint32Array(64);
const H = new Uint32Array(8);

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, plus up to 72 bytes of padding and length.
  if (bytes.length < text.length * 3 + 72) bytes = new Uint8Array(text.length * 3 + 72);
  let length = 0;
  // ASCII (every token) is copied char by char; anything else goes through the encoder.
  while (length < text.length) {
    const code = text.charCodeAt(length);
    if (code > 0x7f) break;
    bytes[length++] = code;
  }
  if (length < text.length) length = encoder.encodeInto(text, bytes).written;
  // Message, 0x80, zeros, 64-bit big-endian bit length: a whole number of 64-byte blocks.
  const total = (((length + 8) >> 6) + 1) << 6;
  bytes.fill(0, length, total);
  bytes[length] = 0x80;
  const high = Math.floor(length / 0x2000_0000);
  const low = (length << 3) >>> 0;
  for (let i = 0; i < 4; i++) {
    bytes[total - 8 + i] = (high >>> (24 - 8 * i)) & 0xff;
    bytes[total - 4 + i] = (low >>> (24 - 8 * i)) & 0xff;
  }
  H.set(INITIAL);
  for (let offset = 0; offset < total; offset += 64) compress(offset);
  let out = "";
  for (let i = 0; i < 8; i++) {
    const h = H[i]!;
    out += HEX[h >>> 24]! + HEX[(h >>> 16) & 0xff]! + HEX[(h >>> 8) & 0xff]! + HEX[h & 0xff]!;
  }
  return out;
}

/** One 64-byte block into the running state {@link H}. */
function compress(offset: number): void {
  for (let t = 0, o = offset; t < 16; t++, o += 4) W[t] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = H[0]!,
    b = H[1]!,
    c = H[2]!,
    d = H[3]!,
    e = H[4]!,
    f = H[5]!,
    g = H[6]!,
    h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = H[0]! + a;
  H[1] = H[1]! + b;
  H[2] = H[2]! + c;
  H[3] = H[3]! + d;
  H[4] = H[4]! + e;
  H[5] = H[5]! + f;
  H[6] = H[6]! + g;
  H[7] = H[7]! + h;
}
