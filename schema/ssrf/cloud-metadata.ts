import { embeddedIpv4 } from "./embedded-ipv4.ts";
import type { IpAddress } from "./ip-address.ts";
import { cidr, cidrContains, type Cidr } from "./parse-cidr.ts";

/** A cloud metadata or platform endpoint: it hands out credentials, so no allowance opens it. */
export interface MetadataEndpoint {
  readonly block: Cidr;
  readonly what: string;
}

const endpoint = (block: string, what: string): MetadataEndpoint => ({ block: cidr(block), what });

/** Cloud metadata and platform-credential endpoints of the major clouds. */
export const CLOUD_METADATA: readonly MetadataEndpoint[] = [
  endpoint("169.254.169.0/24", "instance metadata, DNS and time sync (AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner, IBM)"),
  endpoint("169.254.170.0/24", "AWS ECS task metadata and EKS Pod Identity credentials"),
  endpoint("169.254.42.42/32", "Scaleway instance metadata"),
  endpoint("169.254.0.23/32", "Tencent Cloud instance metadata"),
  endpoint("168.63.129.16/32", "Azure WireServer"),
  endpoint("100.100.100.200/32", "Alibaba Cloud instance metadata"),
  endpoint("192.0.0.192/32", "legacy Oracle Cloud instance metadata"),
  endpoint("fd00:ec2::/64", "AWS IPv6 instance metadata, Pod Identity, DNS and time sync (fd00:ec2::254)"),
  endpoint("fd20:ce::254/128", "GCP IPv6 instance metadata"),
  endpoint("fd00:42::42/128", "Scaleway IPv6 instance metadata"),
];

/**
 * The metadata endpoint an address reaches, directly or through any IPv4-in-IPv6 wrapping,
 * or null. A match means the address is refused whatever allowance an endpoint declares.
 */
export function findCloudMetadata(ip: IpAddress): MetadataEndpoint | null {
  const candidates = [ip, ...embeddedIpv4(ip).map((found) => found.ipv4)];
  for (const candidate of candidates) {
    const hit = CLOUD_METADATA.find((entry) => cidrContains(entry.block, candidate));
    if (hit) return hit;
  }
  return null;
}
