import { SSRF_CODES, type StaticRefusal } from "./ssrf/ssrf-codes.ts";
import { validateAllowance } from "./ssrf/validate-allowance.ts";

/**
 * What to do about a literal loopback or private upstream that the definition-time check refused:
 * for local development, keep the real upstream in the reviewed definition and override it per
 * run; to really deploy against a private network, declare the range on the endpoint. Empty for
 * refusals no allowance can open (cloud metadata) and for other rules.
 */
export function privateUpstreamHint(slug: string, upstream: string, refusal: StaticRefusal): string {
  const host = new URL(upstream).hostname;
  let cidr: string;
  if (refusal.code === SSRF_CODES.blockedName && refusal.rule === "name:localhost") cidr = "127.0.0.1/32";
  else if (refusal.code === SSRF_CODES.blockedAddress) cidr = host.startsWith("[") ? `${host.slice(1, -1)}/128` : `${host}/32`;
  else return "";
  if (validateAllowance(cidr) !== null) return "";
  return (
    `. For local development keep the real upstream here and run \`gatehouse dev --upstream ${slug}=${upstream}\`` +
    ` (this run only, the definition unchanged); to allow it on purpose add unsafeAllowPrivateNetworks: ["${cidr}"]` +
    ` to this endpoint (the policy pack refuses it in production stacks); \`gatehouse dev --unsafe-allow-private\` does not cover an upstream written in the definition`
  );
}
