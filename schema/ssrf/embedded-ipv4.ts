import { IPV4_MAPPED, NAT64_WELL_KNOWN } from "./address-rules.ts";
import { cidr, cidrContains } from "./parse-cidr.ts";
import type { IpAddress } from "./ip-address.ts";

/** How an IPv4 address is carried inside an IPv6 one. */
export type Embedding = "ipv4-mapped" | "nat64" | "ipv4-compatible" | "siit" | "nat64-local-use" | "6to4" | "teredo";

/** One IPv4 address found inside an IPv6 address, and the mechanism that carries it. */
export interface EmbeddedIpv4 {
  readonly via: Embedding;
  readonly ipv4: IpAddress;
}

const COMPATIBLE = cidr("::/96");
const SIIT = cidr("::ffff:0:0:0/96");
const NAT64_LOCAL = cidr("64:ff9b:1::/48");
const SIX_TO_FOUR = cidr("2002::/16");
const TEREDO = cidr("2001::/32");

/**
 * Every IPv4 address an IPv6 address may lead to: mapped, NAT64 (well-known and local-use,
 * at the /96 and /48 positions of RFC 6052), IPv4-compatible, SIIT, 6to4, and Teredo (server,
 * and the client address stored inverted). Used so that the never-allowed cloud metadata
 * addresses stay refused in every wrapping, whatever an allowance opens.
 */
export function embeddedIpv4(ip: IpAddress): EmbeddedIpv4[] {
  if (ip.family !== 6) return [];
  const b = ip.bytes;
  const at = (...indexes: number[]): IpAddress => ({ family: 4, bytes: Uint8Array.from(indexes, (i) => b[i]!) });
  const low = at(12, 13, 14, 15);
  if (cidrContains(IPV4_MAPPED, ip)) return [{ via: "ipv4-mapped", ipv4: low }];
  if (cidrContains(NAT64_WELL_KNOWN, ip)) return [{ via: "nat64", ipv4: low }];
  if (cidrContains(SIIT, ip)) return [{ via: "siit", ipv4: low }];
  if (cidrContains(COMPATIBLE, ip)) return [{ via: "ipv4-compatible", ipv4: low }];
  if (cidrContains(NAT64_LOCAL, ip)) {
    return [
      { via: "nat64-local-use", ipv4: low },
      { via: "nat64-local-use", ipv4: at(6, 7, 9, 10) },
    ];
  }
  if (cidrContains(SIX_TO_FOUR, ip)) return [{ via: "6to4", ipv4: at(2, 3, 4, 5) }];
  if (cidrContains(TEREDO, ip)) {
    const client: IpAddress = { family: 4, bytes: low.bytes.map((byte) => byte ^ 0xff) };
    return [
      { via: "teredo", ipv4: at(4, 5, 6, 7) },
      { via: "teredo", ipv4: client },
    ];
  }
  return [];
}
