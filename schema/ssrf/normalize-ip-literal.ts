import { formatIp } from "./format-ip.ts";
import { parseIp, parseIpv6 } from "./parse-ip.ts";
import { parseLegacyIpv4 } from "./parse-legacy-ipv4.ts";

/**
 * Canonical text of an IP literal written any way a URL host may write it: strict IPv4 or
 * IPv6, `[v6]` in brackets, or a legacy IPv4 form (`0x7f.1`, `2130706433`). Null for names
 * and for zone ids. Lets tools compare hosts the way the WHATWG parser would see them.
 */
export function normalizeIpLiteral(text: string): string | null {
  const inner = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : null;
  const ip = inner !== null ? parseIpv6(inner) : (parseIp(text) ?? parseLegacyIpv4(text));
  return ip ? formatIp(ip) : null;
}
