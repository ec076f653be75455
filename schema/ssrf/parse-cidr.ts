import { formatIp } from "./format-ip.ts";
import type { IpAddress } from "./ip-address.ts";
import { parseIp } from "./parse-ip.ts";

/** A parsed CIDR block: the network address (host bits zero) and the prefix length. */
export interface Cidr {
  /** Canonical spelling, for messages and audit records. */
  readonly text: string;
  readonly network: IpAddress;
  readonly prefix: number;
}

/** Either the parsed block or a sentence that says what is wrong with the text. */
export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; error: string };

/**
 * Parses `10.1.0.0/16` or `fd12::/64`; a bare address means a single host (/32 or /128).
 * Host bits must be zero, so a reviewer reads the exact range that is opened.
 */
export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const network = parseIp(addressText);
  if (!network) {
    return { ok: false, error: `'${text}' is not a CIDR block; write it like 10.1.0.0/16 or fd12:3456::/48` };
  }
  const max = network.family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, error: `'${text}' has an invalid prefix length; it must be 0 to ${max}` };
  }
  const prefix = Number(prefixText);
  const masked = maskBytes(network.bytes, prefix);
  if (!masked.every((byte, index) => byte === network.bytes[index])) {
    const suggestion = `${formatIp({ family: network.family, bytes: masked })}/${prefix}`;
    return { ok: false, error: `'${text}' has host bits set; did you mean ${suggestion}?` };
  }
  return { ok: true, cidr: { text: `${formatIp(network)}/${prefix}`, network, prefix } };
}

/** Parses a block that is known to be valid (rule tables); throws on a typo in a table. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new TypeError(parsed.error);
  return parsed.cidr;
}

/** True when the address is inside the block (same family, same leading `prefix` bits). */
export function cidrContains(block: Cidr, ip: IpAddress): boolean {
  if (block.network.family !== ip.family) return false;
  return prefixEqual(block.network.bytes, ip.bytes, block.prefix);
}

/** True when two blocks of the same family share at least one address. */
export function cidrsOverlap(left: Cidr, right: Cidr): boolean {
  if (left.network.family !== right.network.family) return false;
  return prefixEqual(left.network.bytes, right.network.bytes, Math.min(left.prefix, right.prefix));
}

function prefixEqual(left: Uint8Array, right: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i += 1) if (left[i] !== right[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((left[whole]! ^ right[whole]!) & mask) === 0;
}

function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  return bytes.map((byte, index) => {
    const keep = Math.max(0, Math.min(8, bits - index * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}
