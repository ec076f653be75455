import { IPV4_MAPPED, NAT64_WELL_KNOWN } from "./address-rules.ts";
import { cidr, cidrContains, type Cidr } from "./parse-cidr.ts";
import type { IpAddress } from "./ip-address.ts";

/** How an IPv4 address is carried inside an IPv6 one. */
export type Embedding = "ipv4-mapped" | "nat64" | "ipv4-compatible" | "siit" | "nat64-local-use" | "6to4" | "teredo";

/** One IPv4 address found inside an IPv6 address, and the mechanism that carries it. */
export interface EmbeddedIpv4 {
  readonly via: Embedding;
  readonly ipv4: IpAddress;
}

/** Where the four bytes of a carried IPv4 address sit in the IPv6 address, and whether they are stored inverted (Teredo's client). */
export interface EmbeddingPlace {
  readonly bytes: readonly [number, number, number, number];
  readonly inverted: boolean;
}

/** One way IPv6 carries IPv4: the block, where the IPv4 bytes sit, and whether the address is judged as that IPv4. */
export interface EmbeddingRule {
  readonly via: Embedding;
  readonly block: Cidr;
  readonly places: readonly EmbeddingPlace[];
  /**
   * True when the address is the carried IPv4 for reachability (a socket to it reaches the IPv4
   * host): mapped and well-known NAT64. The others are refused as IPv6 ranges of their own and
   * consulted here only so cloud metadata stays refused in every wrapping.
   */
  readonly isTheIpv4: boolean;
  /**
   * True when packets to the IPv6 address travel to (or through) the carried IPv4 host, as with
   * 6to4 relays; false for Teredo, whose server field names a relay, not the destination.
   */
  readonly routesToIpv4: boolean;
}

const LOW: EmbeddingPlace = { bytes: [12, 13, 14, 15], inverted: false };

/**
 * The one table of IPv4-in-IPv6 embeddings, used by the classifier, the allowance check and the
 * dialer: mapped, NAT64 (well-known and local-use, at the /96 and /48 positions of RFC 6052),
 * SIIT, IPv4-compatible, 6to4, and Teredo (server, and the client address stored inverted).
 * Listed most specific first: an address takes the first rule whose block contains it.
 */
export const EMBEDDINGS: readonly EmbeddingRule[] = [
  { via: "ipv4-mapped", block: IPV4_MAPPED, places: [LOW], isTheIpv4: true, routesToIpv4: true },
  { via: "nat64", block: NAT64_WELL_KNOWN, places: [LOW], isTheIpv4: true, routesToIpv4: true },
  { via: "siit", block: cidr("::ffff:0:0:0/96"), places: [LOW], isTheIpv4: false, routesToIpv4: true },
  { via: "ipv4-compatible", block: cidr("::/96"), places: [LOW], isTheIpv4: false, routesToIpv4: true },
  { via: "nat64-local-use", block: cidr("64:ff9b:1::/48"), places: [LOW, { bytes: [6, 7, 9, 10], inverted: false }], isTheIpv4: false, routesToIpv4: true },
  { via: "6to4", block: cidr("2002::/16"), places: [{ bytes: [2, 3, 4, 5], inverted: false }], isTheIpv4: false, routesToIpv4: true },
  {
    via: "teredo",
    block: cidr("2001::/32"),
    places: [
      { bytes: [4, 5, 6, 7], inverted: false },
      { ...LOW, inverted: true },
    ],
    isTheIpv4: false,
    routesToIpv4: false,
  },
];

/** The rule whose block holds an IPv6 address, if any. */
export function embeddingOf(ip: IpAddress): EmbeddingRule | null {
  if (ip.family !== 6) return null;
  return EMBEDDINGS.find((rule) => cidrContains(rule.block, ip)) ?? null;
}

/** The IPv4 address at one place of an IPv6 address. */
export function ipv4At(ip: IpAddress, place: EmbeddingPlace): IpAddress {
  return { family: 4, bytes: Uint8Array.from(place.bytes, (i) => (place.inverted ? ip.bytes[i]! ^ 0xff : ip.bytes[i]!)) };
}

/**
 * Every IPv4 address an IPv6 address may lead to, by the table above. Used so that the
 * never-allowed cloud metadata addresses stay refused in every wrapping, whatever an allowance
 * opens.
 */
export function embeddedIpv4(ip: IpAddress): EmbeddedIpv4[] {
  const rule = embeddingOf(ip);
  return rule ? rule.places.map((place) => ({ via: rule.via, ipv4: ipv4At(ip, place) })) : [];
}

/** The address a socket really reaches: an IPv4-mapped or well-known NAT64 address as its IPv4, anything else unchanged. */
export function reachableIpv4(ip: IpAddress): IpAddress {
  const rule = embeddingOf(ip);
  return rule?.isTheIpv4 ? ipv4At(ip, rule.places[0]!) : ip;
}
