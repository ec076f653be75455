import { analyzeUpstreamUrl, compileAllowList } from "../../../../schema/ssrf/index.ts";
import { checkHost, type HostDecision } from "./check-host.ts";
import type { Lookup } from "./lookup.ts";
import { systemLookup } from "./system-lookup.ts";

/** Options for `checkUrl`. */
export interface CheckUrlOptions {
  /** Resolver; default: the system resolver, uncached (a config-time answer is never reused). */
  lookup?: Lookup;
  /** The endpoint's `unsafeAllowPrivateNetworks` CIDRs. Invalid entries make `checkUrl` reject. */
  allow?: readonly string[];
  /** DNS timeout in milliseconds; default 5000. */
  timeoutMs?: number;
}

/** `{ allowed: true, addresses }` with every address the name resolved to, or the refusal. */
export type CheckUrlResult = HostDecision;

/**
 * Would the guard let an upstream call reach this URL? Runs the definition-time checks, then
 * resolves a host name once and checks every address in the answer. For reports (the CLI,
 * `gatehouse validate`); at request time the guarded connector repeats the check for each
 * new connection and dials only the address it checked.
 */
export async function checkUrl(url: string, options: CheckUrlOptions = {}): Promise<CheckUrlResult> {
  const allow = compileAllowList(options.allow);
  const target = analyzeUpstreamUrl(url, { allow });
  if (target.kind === "refused") return { allowed: false, ...target.refusal };
  const context = { lookup: options.lookup ?? systemLookup, allow, timeoutMs: options.timeoutMs ?? 5000 };
  return checkHost(target.kind === "address" ? target.address : target.hostname, context);
}
