import { createHash, randomBytes } from "node:crypto";

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
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
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

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  const value = crc32(body);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return base62(bytes, CHECK_LENGTH);
}

/** A new random client token. Shown once; only {@link hashToken} of it is stored. */
export function mintToken(): string {
  const body = base62(randomBytes(32), BODY_LENGTH);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** True when `token` has the prefix, length, alphabet and a matching checksum. */
export function isWellFormedToken(token: string): boolean {
  if (token.length !== TOKEN_PREFIX.length + BODY_LENGTH + CHECK_LENGTH || !token.startsWith(TOKEN_PREFIX)) return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + BODY_LENGTH);
  const check = token.slice(TOKEN_PREFIX.length + BODY_LENGTH);
  if (!/^[0-9A-Za-z]+$/.test(body) || !/^[0-9A-Za-z]+$/.test(check)) return false;
  return checksum(body) === check;
}

/** SHA-256 of the token, hex: the only form ever stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new public token id such as `tok_3kTq9ZbX7mWc`. */
export function newTokenId(): string {
  return `tok_${base62(randomBytes(9), 12)}`;
}
