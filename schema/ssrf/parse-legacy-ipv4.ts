import type { IpAddress } from "./ip-address.ts";

/**
 * Parses the legacy IPv4 spellings that the WHATWG URL host parser (and getaddrinfo's
 * inet_aton) accept: one to four parts, each decimal, octal (leading 0) or hex (0x), the last
 * part filling the remaining bytes, one trailing dot allowed. `0x7f.1`, `2130706433` and
 * `0177.0.0.1` all give 127.0.0.1. Returns null for a name or an invalid spelling.
 * Used on any host text that did not come through `new URL`, so no spelling skips the rules.
 */
export function parseLegacyIpv4(text: string): IpAddress | null {
  const parts = text.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length > 4) return null;
  const numbers: bigint[] = [];
  for (const part of parts) {
    const value = parseNumber(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((value) => value > 255n)) return null;
  if (last >= 256n ** BigInt(4 - numbers.length)) return null;
  let address = last;
  numbers.forEach((value, index) => {
    address += value * 256n ** BigInt(3 - index);
  });
  const bytes = new Uint8Array(4);
  for (let i = 3; i >= 0; i -= 1) {
    bytes[i] = Number(address & 0xffn);
    address >>= 8n;
  }
  return { family: 4, bytes };
}

/** One part in the radix its prefix selects; null when it has a digit outside that radix. */
function parseNumber(part: string): bigint | null {
  if (part === "") return null;
  let digits = part;
  let pattern = /^[0-9]+$/;
  let prefix = "";
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    pattern = /^[0-9a-f]+$/i;
    prefix = "0x";
  } else if (part.length > 1 && part.startsWith("0")) {
    digits = part.slice(1);
    pattern = /^[0-7]+$/;
    prefix = "0o";
  }
  if (digits === "") return 0n;
  if (!pattern.test(digits)) return null;
  return BigInt(`${prefix}${digits}`);
}
