/**
 * Stable refusal codes. The code says which kind of check refused; the `rule` next to it says
 * exactly which rule (`ipv4:loopback`, `dns->ipv6:unique-local`). Audit records and the CLI
 * report both; clients of the gateway see neither (one uniform 502).
 */
export const SSRF_CODES = {
  /** Not http: or https:, or not a TCP destination at all (unix socket). */
  scheme: "SSRF_SCHEME",
  /** A user name, password or `@` in the authority. */
  userinfo: "SSRF_USERINFO",
  /** Unparseable or ambiguous: WHATWG parse failure, control characters, spaces, backslashes, `#`, port 0, invalid host name. */
  malformed: "SSRF_MALFORMED",
  /** A host name refused before any lookup (localhost, cloud metadata names). */
  blockedName: "SSRF_BLOCKED_NAME",
  /** An IP-literal host in a blocked range. */
  blockedAddress: "SSRF_BLOCKED_ADDRESS",
  /** A DNS answer with at least one blocked or unparseable address. */
  dnsBlocked: "SSRF_DNS_BLOCKED",
  /** The name did not resolve: no such name, an empty answer, a resolver error or a timeout. */
  unresolved: "SSRF_UNRESOLVED",
} as const;

/** One of the stable refusal codes in `SSRF_CODES`. */
export type SsrfCode = (typeof SSRF_CODES)[keyof typeof SSRF_CODES];

/** Why a target is refused: stable code, the rule that decided, and a sentence for people. */
export interface StaticRefusal {
  readonly code: SsrfCode;
  readonly rule: string;
  readonly reason: string;
}
