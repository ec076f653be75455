/**
 * `gatehouse/ssrf`: the request-time SSRF guard for upstream calls (undici), plus the pure
 * rules it shares with the definition language.
 */
export { checkUrl, type CheckUrlOptions, type CheckUrlResult } from "./check-url.ts";
export { checkHost, type HostDecision, type HostCheckContext } from "./check-host.ts";
export { createGuardedConnector, type GuardOptions } from "./create-guarded-connector.ts";
export type { ConnectCallback, ConnectOptions, Connector, Dialer } from "./dialer.ts";
export { createGuardedAgent, type GuardedAgentOptions } from "./create-guarded-agent.ts";
export { createDnsCache, type DnsCache, type DnsCacheOptions } from "./create-dns-cache.ts";
export { resolveHost, type Resolution } from "./resolve-host.ts";
export { systemLookup } from "./system-lookup.ts";
export { GATEHOUSE_SSRF_REFUSED, SsrfRefusedError, type SsrfRefusalDetails } from "./ssrf-refused-error.ts";
export type { Lookup, LookupAddress } from "./lookup.ts";
export {
  checkUpstreamUrlStatic,
  classifyAddress,
  classifyAnswer,
  validateAllowance,
  SSRF_CODES,
  type AddressVerdict,
  type SsrfCode,
  type StaticRefusal,
} from "../../../../schema/ssrf/index.ts";
