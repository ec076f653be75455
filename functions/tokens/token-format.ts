import { sha256Hex } from "./sha256.ts";

/**
 * Client token layout: `gatehouse_` + 43 base62 characters (256 random bits) + 6 base62
 * characters of CRC-32 over the random part. The prefix lets secret scanners find leaked
 * tokens and the checksum lets them (and us) reject look-alikes without a store lookup.
 */
export const TOKEN_PREFIX = "gatehouse_";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 43;
const CHECK_LENGTH = 6;

/** Matches a well-formed token anywhere in text (for scanners and log scrubbing). */
export const TOKEN_PATTERN = /gatehouse_[0-9A-Za-z]{49}/;

function base62(bytes: Uint8Array, length: number): string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(length, "0");
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of an ASCII string (token bodies are base62, so each char code is its UTF-8 byte). */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Six base62 digits of the body's CRC-32. A 32-bit value is exact in a Number, so plain
 * integer division gives the same digits as {@link base62} without BigInt (checked per request).
 */
function checksum(body: string): string {
  let n = crc32(body);
  let out = "";
  for (let i = 0; i < CHECK_LENGTH; i++) {
    const digit = n % 62;
    out = ALPHABET[digit] + out;
    n = (n - digit) / 62;
  }
  return out;
}

/** `n` bytes from the Web Crypto random source (a CSPRNG on every runtime). */
function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A new random client token. Shown once; only {@link hashToken} of it is stored. */
export function mintToken(): string {
  const body = base62(randomBytes(32), BODY_LENGTH);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

const BASE62_ONLY = /^[0-9A-Za-z]+$/;

/** True when `token` has the prefix, length, alphabet and a matching checksum. */
export function isWellFormedToken(token: string): boolean {
  if (token.length !== TOKEN_PREFIX.length + BODY_LENGTH + CHECK_LENGTH || !token.startsWith(TOKEN_PREFIX)) return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + BODY_LENGTH);
  const check = token.slice(TOKEN_PREFIX.length + BODY_LENGTH);
  if (!BASE62_ONLY.test(body) || !BASE62_ONLY.test(check)) return false;
  return checksum(body) === check;
}

/** SHA-256 of the token, hex: the only form ever stored. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** A new public token id such as `tok_3kTq9ZbX7mWc`. */
export function newTokenId(): string {
  return `tok_${base62(randomBytes(9), 12)}`;
}
