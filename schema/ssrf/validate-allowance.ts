import { CLOUD_METADATA, type MetadataEndpoint } from "./cloud-metadata.ts";
import { EMBEDDINGS } from "./embedded-ipv4.ts";
import { formatIp } from "./format-ip.ts";
import { cidrsOverlap, parseCidr, type Cidr } from "./parse-cidr.ts";

/**
 * The embeddings of the shared table whose traffic goes to the carried IPv4 and which hold it
 * right after their prefix, as (IPv6 block, bit offset): an allowance overlapping a metadata
 * block wrapped in one of them is refused too (wrapped at any other place, metadata is still
 * refused when classified, whatever the allowance).
 */
const WRAPPINGS: ReadonlyArray<readonly [Cidr, number]> = EMBEDDINGS.filter((rule) => rule.routesToIpv4).flatMap((rule) =>
  rule.places
    .filter((p) => !p.inverted && p.bytes[0]! * 8 === rule.block.prefix && p.bytes.every((b, i) => b === p.bytes[0]! + i))
    .map(() => [rule.block, rule.block.prefix] as const),
);

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
function wrap(block: Cidr, prefix: Cidr, offset: number): Cidr {
  const bytes = Uint8Array.from(prefix.network.bytes);
  const start = offset / 8;
  bytes.set(block.network.bytes, start);
  const network = { family: 6 as const, bytes };
  return { text: `${formatIp(network)}/${offset + block.prefix}`, network, prefix: offset + block.prefix };
}
