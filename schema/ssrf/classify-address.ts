import { IPV4_RULES, IPV6_GLOBAL_UNICAST, IPV6_RULES } from "./address-rules.ts";
import { embeddingOf, ipv4At } from "./embedded-ipv4.ts";
import { compileAllowList, type AllowInput } from "./allow-list.ts";
import { findCloudMetadata } from "./cloud-metadata.ts";
import { formatIp } from "./format-ip.ts";
import type { IpAddress } from "./ip-address.ts";
import { cidrContains } from "./parse-cidr.ts";
import { parseIp } from "./parse-ip.ts";

/** The decision for one address. `allowedBy` names the allowance that re-opened a blocked range. */
export type AddressVerdict = { blocked: false; allowedBy?: string } | { blocked: true; rule: string; reason: string };

/** Options for `classifyAddress`. */
export interface ClassifyOptions {
  /** The endpoint's `unsafeAllowPrivateNetworks` CIDRs; they never open cloud metadata addresses. */
  allow?: AllowInput;
}

/**
 * Decides whether an upstream may connect to one address. Takes a strict IP string (no
 * brackets, no zone) or a parsed address; anything else is refused as `ip:unparseable`.
 * IPv4-mapped and NAT64 (64:ff9b::/96) addresses are judged by the IPv4 they carry, so a
 * public tail is allowed and a private one is refused as `ipv4-mapped->…` / `nat64->…`.
 */
export function classifyAddress(input: string | IpAddress, options: ClassifyOptions = {}): AddressVerdict {
  const ip = typeof input === "string" ? parseIp(input) : input;
  if (!ip) {
    return { blocked: true, rule: "ip:unparseable", reason: `'${String(input)}' is not a strict IP address` };
  }
  const metadata = findCloudMetadata(ip);
  const range = rangeVerdict(ip);
  if (!range && !metadata) return { blocked: false };
  const rule = range?.rule ?? "cloud-metadata";
  const metadataNote = metadata ? `; it is ${metadata.what}` : "";
  const reason = `${range?.reason ?? `${formatIp(ip)} is in ${metadata!.block.text}`}${metadataNote}`;
  const allow = compileAllowList(options.allow);
  const unwrapped = range?.unwrapped;
  const opener = allow.find((block) => cidrContains(block, ip) || (unwrapped !== undefined && cidrContains(block, unwrapped)));
  if (!opener) return { blocked: true, rule, reason };
  if (metadata) {
    return { blocked: true, rule, reason: `${reason}, which no allowance can open (${opener.text} was declared)` };
  }
  return { blocked: false, allowedBy: opener.text };
}

interface RangeHit {
  rule: string;
  reason: string;
  /** The IPv4 address a mapped or NAT64 address was judged by. */
  unwrapped?: IpAddress;
}

/** The first blocked range an address falls in, or null when it is globally reachable. */
function rangeVerdict(ip: IpAddress): RangeHit | null {
  if (ip.family === 4) {
    const hit = IPV4_RULES.find((entry) => cidrContains(entry.block, ip));
    return hit ? { rule: hit.rule, reason: `${formatIp(ip)} is in ${hit.block.text}: ${hit.why}` } : null;
  }
  const embedding = embeddingOf(ip);
  if (embedding?.isTheIpv4) {
    const inner = ipv4At(ip, embedding.places[0]!);
    const hit = rangeVerdict(inner);
    if (!hit) return null;
    return { rule: `${embedding.via}->${hit.rule}`, reason: `${formatIp(ip)} carries ${hit.reason}`, unwrapped: inner };
  }
  const hit = IPV6_RULES.find((entry) => cidrContains(entry.block, ip));
  if (hit) return { rule: hit.rule, reason: `${formatIp(ip)} is in ${hit.block.text}: ${hit.why}` };
  if (!cidrContains(IPV6_GLOBAL_UNICAST, ip)) {
    return {
      rule: "ipv6:not-global-unicast",
      reason: `${formatIp(ip)} is outside 2000::/3, the only IPv6 space allocated as global unicast`,
    };
  }
  return null;
}
