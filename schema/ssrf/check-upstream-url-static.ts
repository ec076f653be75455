import { analyzeUpstreamUrl } from "./analyze-upstream-url.ts";
import type { StaticRefusal } from "./ssrf-codes.ts";

/**
 * Definition-time SSRF check for an upstream URL, used by `defineGateway` and
 * `gatehouse validate`: scheme, user info, malformed or ambiguous text, a blocked IP literal,
 * a blocked host name. It does not resolve DNS (the request-time connector checks answers).
 * Returns null when nothing is wrong. `allow` is the endpoint's `unsafeAllowPrivateNetworks`.
 */
export function checkUpstreamUrlStatic(url: string, options: { allow?: readonly string[] } = {}): StaticRefusal | null {
  const target = analyzeUpstreamUrl(url, options);
  return target.kind === "refused" ? target.refusal : null;
}
