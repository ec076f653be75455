import { CLOUD_METADATA, type MetadataEndpoint } from "./cloud-metadata.ts";
import { formatIp } from "./format-ip.ts";
import { cidrsOverlap, parseCidr, type Cidr } from "./parse-cidr.ts";

/** IPv6 prefixes that carry an IPv4 address at a fixed bit offset: (prefix, bit offset). */
const WRAPPINGS: ReadonlyArray<readonly [string, number]> = [
  ["::ffff:0:0", 96], // IPv4-mapped
  ["64:ff9b::", 96], // NAT64 well-known prefix
  ["::", 96], // IPv4-compatible
  ["::ffff:0:0:0", 96], // SIIT
  ["2002::", 16], // 6to4
];

/**
 * Checks one `unsafeAllowPrivateNetworks` entry. Returns a sentence for the definition error
 * when the CIDR is malformed, has host bits set, or covers a cloud metadata address (directly
 * or wrapped in IPv6), since those can never be allowed; null when the entry is acceptable.
 */
export function validateAllowance(text: string): string | null {
  if (typeof text !== "string") return "an allowance must be a CIDR string such as 10.1.0.0/16";
  const parsed = parseCidr(text.trim());
  if (!parsed.ok) return parsed.error;
  const hit = metadataOverlap(parsed.cidr);
  if (hit) {
    return `'${text}' covers ${hit.block.text} (${hit.what}); cloud metadata addresses can never be allowed, so narrow the range`;
  }
  return null;
}

function metadataOverlap(block: Cidr): MetadataEndpoint | null {
  for (const entry of CLOUD_METADATA) {
    if (cidrsOverlap(block, entry.block)) return entry;
    if (block.network.family !== 6 || entry.block.network.family !== 4) continue;
    for (const [prefix, offset] of WRAPPINGS) {
      if (cidrsOverlap(block, wrap(entry.block, prefix, offset))) return entry;
    }
  }
  return null;
}

/** The IPv6 block that holds an IPv4 block at `offset` bits inside `prefix`. */
function wrap(block: Cidr, prefix: string, offset: number): Cidr {
  const base = parseCidr(`${prefix}/${offset}`);
  if (!base.ok) throw new TypeError(base.error);
  const bytes = Uint8Array.from(base.cidr.network.bytes);
  const start = offset / 8;
  bytes.set(block.network.bytes, start);
  const network = { family: 6 as const, bytes };
  return { text: `${formatIp(network)}/${offset + block.prefix}`, network, prefix: offset + block.prefix };
}
