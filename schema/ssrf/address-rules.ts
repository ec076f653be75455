import { cidr, type Cidr } from "./parse-cidr.ts";

/** One blocked range: the block, the rule name reported when it decides, and why it is blocked. */
export interface AddressRule {
  readonly block: Cidr;
  readonly rule: string;
  readonly why: string;
}

const rule = (block: string, name: string, why: string): AddressRule => ({ block: cidr(block), rule: name, why });

/**
 * IPv4 ranges that an upstream may never reach, checked in order (the first match names the
 * rule). IANA special-purpose ranges that are not globally reachable, plus platform endpoints
 * that sit in public space. AS112 and AMT are globally reachable and stay open.
 */
export const IPV4_RULES: readonly AddressRule[] = [
  rule("168.63.129.16/32", "ipv4:azure-wireserver", "Azure WireServer, a platform endpoint in public address space"),
  rule("0.0.0.0/8", "ipv4:this-network", "'this network'; 0.0.0.0 reaches local listeners"),
  rule("10.0.0.0/8", "ipv4:rfc1918", "private network (RFC 1918)"),
  rule("100.64.0.0/10", "ipv4:cgnat", "shared address space (CGNAT; Alibaba Cloud metadata, Tailscale)"),
  rule("127.0.0.0/8", "ipv4:loopback", "loopback (local services, the Lambda Runtime API)"),
  rule("169.254.0.0/16", "ipv4:link-local", "link-local (cloud instance metadata, ECS, EKS, VPC DNS, time sync)"),
  rule("172.16.0.0/12", "ipv4:rfc1918", "private network (RFC 1918)"),
  rule("192.0.0.0/24", "ipv4:ietf-protocol-assignments", "IETF protocol assignments (legacy Oracle Cloud metadata 192.0.0.192)"),
  rule("192.0.2.0/24", "ipv4:documentation", "documentation range (TEST-NET-1)"),
  rule("192.88.99.0/24", "ipv4:6to4-relay", "deprecated 6to4 relay anycast"),
  rule("192.168.0.0/16", "ipv4:rfc1918", "private network (RFC 1918)"),
  rule("198.18.0.0/15", "ipv4:benchmarking", "benchmarking range (RFC 2544)"),
  rule("198.51.100.0/24", "ipv4:documentation", "documentation range (TEST-NET-2)"),
  rule("203.0.113.0/24", "ipv4:documentation", "documentation range (TEST-NET-3)"),
  rule("224.0.0.0/4", "ipv4:multicast", "multicast"),
  rule("240.0.0.0/4", "ipv4:reserved-and-broadcast", "reserved space and the limited broadcast address"),
];

/** IPv4-mapped addresses (::ffff:0:0/96): the IPv4 rules decide on the low 32 bits. */
export const IPV4_MAPPED: Cidr = cidr("::ffff:0:0/96");

/** NAT64 well-known prefix (64:ff9b::/96): the IPv4 rules decide on the low 32 bits, so DNS64 works. */
export const NAT64_WELL_KNOWN: Cidr = cidr("64:ff9b::/96");

/** The only IPv6 space allocated as global unicast; anything outside it is refused. */
export const IPV6_GLOBAL_UNICAST: Cidr = cidr("2000::/3");

/**
 * IPv6 ranges refused after mapped and NAT64 addresses have been unwrapped, checked in order.
 * Prefixes that embed an IPv4 address in another way (compatible, SIIT, 6to4, Teredo, NAT64
 * local use) are refused whole: what they reach depends on relays and the host's stack.
 */
export const IPV6_RULES: readonly AddressRule[] = [
  rule("::/128", "ipv6:unspecified", "the unspecified address; it reaches local listeners"),
  rule("::1/128", "ipv6:loopback", "loopback"),
  rule("::/96", "ipv6:ipv4-compatible", "deprecated IPv4-compatible address (embeds an IPv4 address)"),
  rule("::ffff:0:0:0/96", "ipv6:siit", "IPv4-translated address (SIIT, RFC 6145; embeds an IPv4 address)"),
  rule("64:ff9b:1::/48", "ipv6:nat64-local-use", "NAT64 local-use prefix (RFC 8215; translates into local networks)"),
  rule("100::/64", "ipv6:discard", "discard-only prefix (RFC 6666)"),
  rule("100:0:0:1::/64", "ipv6:dummy-prefix", "dummy IPv6 prefix (RFC 9780)"),
  rule("2001::/32", "ipv6:teredo", "Teredo tunnelling (embeds an IPv4 server and client address)"),
  rule("2001:2::/48", "ipv6:benchmarking", "benchmarking range (RFC 5180)"),
  rule("2001::/23", "ipv6:ietf-protocol-assignments", "IETF protocol assignments"),
  rule("2001:db8::/32", "ipv6:documentation", "documentation range"),
  rule("2002::/16", "ipv6:6to4", "6to4 (embeds an IPv4 address reached through a relay)"),
  rule("3fff::/20", "ipv6:documentation", "documentation range (RFC 9637)"),
  rule("5f00::/16", "ipv6:segment-routing", "SRv6 segment identifiers (RFC 9602)"),
  rule("fc00::/7", "ipv6:unique-local", "unique local addresses (AWS IMDS fd00:ec2::254, GCP fd20:ce::254)"),
  rule("fe80::/10", "ipv6:link-local", "link-local"),
  rule("fec0::/10", "ipv6:site-local", "deprecated site-local"),
  rule("ff00::/8", "ipv6:multicast", "multicast"),
];
