import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isWellFormedToken, mintToken, TOKEN_PATTERN, TOKEN_PREFIX } from "../../functions/tokens/token-format.ts";

// Checksums produced by the original BigInt implementation: tokens already issued (and secret
// scanners' rules) depend on these exact characters, so a faster implementation must match.
const PINNED: Array<[body: string, check: string]> = [
  ["0000000000000000000000000000000000000000000", "2CZclj"],
  ["zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "0UsatS"],
  ["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", "4FLuWK"],
  ["3kTq9ZbX7mWc3kTq9ZbX7mWc3kTq9ZbX7mWc3kTq9Zb", "2T5CbT"],
  ["Zx0000000000000000000000000000000000000000a", "3EwK53"],
];

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The reference: CRC-32 (IEEE) of the body, big-endian, as 6 base62 digits via BigInt. */
function referenceChecksum(body: string): string {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(body, "utf8")) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  let n = BigInt((crc ^ 0xffffffff) >>> 0);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(6, "0");
}

describe("token format", () => {
  it.each(PINNED)("accepts the pinned checksum of %s", (body, check) => {
    expect(referenceChecksum(body)).toBe(check);
    expect(isWellFormedToken(`${TOKEN_PREFIX}${body}${check}`)).toBe(true);
  });

  it("rejects a token whose checksum is off by one character", () => {
    const [body, check] = PINNED[2]!;
    const wrong = `${check.slice(0, 5)}${check[5] === "K" ? "L" : "K"}`;
    expect(isWellFormedToken(`${TOKEN_PREFIX}${body}${wrong}`)).toBe(false);
  });

  it("mints tokens whose checksum matches the reference, with a 43-character body", () => {
    for (let i = 0; i < 500; i++) {
      const token = mintToken();
      expect(token).toMatch(new RegExp(`^${TOKEN_PATTERN.source}$`));
      const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 43);
      expect(token.slice(TOKEN_PREFIX.length + 43)).toBe(referenceChecksum(body));
      expect(isWellFormedToken(token)).toBe(true);
    }
  });

  it("agrees with the reference on random bodies", () => {
    for (let i = 0; i < 500; i++) {
      const body = Array.from(randomBytes(43), (b) => ALPHABET[b % 62]).join("");
      expect(isWellFormedToken(`${TOKEN_PREFIX}${body}${referenceChecksum(body)}`)).toBe(true);
    }
  });

  it("rejects wrong prefix, length and alphabet", () => {
    const [body, check] = PINNED[0]!;
    expect(isWellFormedToken(`gatehousE_${body}${check}`)).toBe(false);
    expect(isWellFormedToken(`${TOKEN_PREFIX}${body}${check}0`)).toBe(false);
    expect(isWellFormedToken(`${TOKEN_PREFIX}${body.slice(1)}-${check}`)).toBe(false);
  });
});
