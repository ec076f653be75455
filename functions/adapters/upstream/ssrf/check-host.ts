import {
  classifyAddress,
  classifyAnswer,
  classifyHostname,
  formatIp,
  parseIp,
  parseIpv6,
  parseLegacyIpv4,
  SSRF_CODES,
  type AllowList,
  type SsrfCode,
} from "../../../../schema/ssrf/index.ts";
import type { Lookup, LookupAddress } from "./lookup.ts";
import { resolveHost } from "./resolve-host.ts";

/**
 * Where a host may be reached (every address checked), or why it may not; a refusal lists the
 * addresses the decision saw (the literal, or the DNS answer) in `answers`.
 */
export type HostDecision =
  | { allowed: true; addresses: LookupAddress[]; allowedBy?: string }
  | { allowed: false; code: SsrfCode; rule: string; reason: string; answers?: string[] };

/** What `checkHost` needs: the resolver, the endpoint's parsed allowance and a DNS timeout. */
export interface HostCheckContext {
  lookup: Lookup;
  allow: AllowList;
  timeoutMs: number;
}

/**
 * Decides a URL host (as WHATWG or undici give it, brackets optional): an IP literal is
 * classified; a name is checked, resolved once, and its whole answer classified. The
 * returned addresses are canonical and are the only ones a caller may dial.
 */
export async function checkHost(host: string, context: HostCheckContext): Promise<HostDecision> {
  const bracketed = host.startsWith("[") && host.endsWith("]");
  const ip = bracketed ? parseIpv6(host.slice(1, -1)) : (parseIp(host) ?? parseLegacyIpv4(host));
  if (ip) {
    const verdict = classifyAddress(ip, { allow: context.allow });
    if (verdict.blocked) {
      return { allowed: false, code: SSRF_CODES.blockedAddress, rule: verdict.rule, reason: verdict.reason, answers: [formatIp(ip)] };
    }
    return withAllowance({ allowed: true, addresses: [{ address: formatIp(ip), family: ip.family }] }, verdict.allowedBy);
  }
  if (bracketed || host.includes(":") || host.includes("%")) {
    return { allowed: false, code: SSRF_CODES.malformed, rule: "malformed:ip-literal", reason: `'${host}' is not a valid IP literal` };
  }
  const refusal = classifyHostname(host, { allow: context.allow });
  if (refusal) return { allowed: false, ...refusal };
  const resolution = await resolveHost(host, context.lookup, context.timeoutMs);
  if (!resolution.ok) return { allowed: false, code: resolution.code, rule: resolution.rule, reason: resolution.reason };
  const verdict = classifyAnswer(resolution.answers, { allow: context.allow });
  if (verdict.blocked) {
    const code = verdict.rule.startsWith("dns->") ? SSRF_CODES.dnsBlocked : SSRF_CODES.unresolved;
    const answers = resolution.answers.map((answer) => String(answer?.address));
    return { allowed: false, code, rule: verdict.rule, reason: `'${host}': ${verdict.reason}`, answers };
  }
  const addresses = resolution.answers.map(({ address }) => {
    const parsed = parseIp(address)!; // classifyAnswer refused anything that is not strict
    return { address: formatIp(parsed), family: parsed.family };
  });
  return withAllowance({ allowed: true, addresses }, verdict.allowedBy);
}

function withAllowance(decision: HostDecision & { allowed: true }, allowedBy: string | undefined): HostDecision {
  return allowedBy ? { ...decision, allowedBy } : decision;
}
