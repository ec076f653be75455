import type { AllowInput } from "./allow-list.ts";
import { classifyAddress } from "./classify-address.ts";
import { classifyHostname } from "./classify-hostname.ts";
import { formatIp } from "./format-ip.ts";
import type { IpAddress } from "./ip-address.ts";
import { parseIp, parseIpv6 } from "./parse-ip.ts";
import { parseLegacyIpv4 } from "./parse-legacy-ipv4.ts";
import { SSRF_CODES, type StaticRefusal } from "./ssrf-codes.ts";

/**
 * What a URL points at, after every check that needs no DNS: refused, an allowed IP literal,
 * or a host name that still has to be resolved and its answer checked.
 */
export type UrlTarget =
  | { kind: "refused"; refusal: StaticRefusal }
  | { kind: "address"; url: URL; ip: IpAddress; address: string; allowedBy?: string }
  | { kind: "name"; url: URL; hostname: string };

// C0 and C1 controls, space, DEL, backslash and any Unicode white space (incl. U+FEFF).
const UNSAFE_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\\s\ufeff]/u;

/**
 * Runs the definition-time checks, in this order (the first that fails names the rule):
 * WHATWG parse (`malformed:whatwg-parse`), scheme (`scheme:not-http(s)`), control characters,
 * spaces and backslashes anywhere in the raw text (`hygiene:control-space-or-backslash`),
 * user info or any `@` in the authority (`userinfo`), `#` (`hygiene:fragment`), port 0
 * (`port:zero`), then the host: IP literals by the address rules, names by `classifyHostname`.
 * Raw-text rules refuse strings that WHATWG would quietly repair, since other parsers disagree.
 */
export function analyzeUpstreamUrl(input: string, options: { allow?: AllowInput } = {}): UrlTarget {
  const refuse = (code: StaticRefusal["code"], rule: string, reason: string): UrlTarget => ({
    kind: "refused",
    refusal: { code, rule, reason },
  });
  if (typeof input !== "string") return refuse(SSRF_CODES.malformed, "malformed:whatwg-parse", "the URL is not a string");
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse(SSRF_CODES.malformed, "malformed:whatwg-parse", `'${printable(input)}' is not a valid absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return refuse(SSRF_CODES.scheme, "scheme:not-http(s)", `the scheme ${url.protocol} is not http: or https:`);
  }
  if (UNSAFE_CHARACTERS.test(input)) {
    return refuse(
      SSRF_CODES.malformed,
      "hygiene:control-space-or-backslash",
      "the URL contains a control character, white space or a backslash, which parsers read differently",
    );
  }
  if (url.username !== "" || url.password !== "" || rawAuthority(input).includes("@")) {
    return refuse(SSRF_CODES.userinfo, "userinfo", "the URL has user info ('@' before the host); inject credentials with headers instead");
  }
  if (input.includes("#")) {
    return refuse(SSRF_CODES.malformed, "hygiene:fragment", "the URL contains '#', which parsers split differently");
  }
  if (url.port === "0") return refuse(SSRF_CODES.malformed, "port:zero", "port 0 is not a destination");
  const host = url.hostname;
  const ip = host.startsWith("[") ? parseIpv6(host.slice(1, -1)) : (parseIp(host) ?? parseLegacyIpv4(host));
  if (host.startsWith("[") && !ip) {
    return refuse(SSRF_CODES.malformed, "malformed:whatwg-parse", `'${host}' is not a valid IPv6 literal`);
  }
  if (ip) {
    const verdict = classifyAddress(ip, options);
    if (verdict.blocked) return refuse(SSRF_CODES.blockedAddress, verdict.rule, verdict.reason);
    const target: UrlTarget = { kind: "address", url, ip, address: formatIp(ip) };
    return verdict.allowedBy ? { ...target, allowedBy: verdict.allowedBy } : target;
  }
  const refusal = classifyHostname(host, options);
  if (refusal) return { kind: "refused", refusal };
  return { kind: "name", url, hostname: host };
}

/** The raw authority: after `scheme:` and any slashes, up to the first `/`, `?` or `#`. */
function rawAuthority(input: string): string {
  const afterScheme = input.replace(/^[a-z][a-z0-9+.-]*:/i, "").replace(/^\/+/, "");
  const end = afterScheme.search(/[/?#]/);
  return end === -1 ? afterScheme : afterScheme.slice(0, end);
}

/** The input with controls escaped, for a message that is safe to print. */
function printable(input: string): string {
  const escaped = JSON.stringify(input).slice(1, -1);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}
