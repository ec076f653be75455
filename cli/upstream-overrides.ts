import type { Gateway } from "../schema/gateway.ts";
import { checkUpstreamUrlStatic } from "../schema/ssrf/index.ts";
import { upstreamUrlProblem } from "../schema/upstream-url.ts";
import { UsageError } from "./io.ts";

/** Appended to a gateway's revision while an override is on, so the audit shows it (`3f9a0c1d2e4b+override`). */
export const OVERRIDE_REVISION_SUFFIX = "+override";

/** One `--upstream [<gateway>/]<slug>=<url>` as typed. */
export interface UpstreamOverride {
  gateway: string | null;
  slug: string;
  url: string;
}

/** What an override did, for the start-up banner. */
export interface AppliedOverride {
  gateway: string;
  slug: string;
  from: string;
  to: string;
  /** The private ranges the overridden endpoint may reach for this run. */
  allow: string[];
}

// Loopback and the private ranges of RFC 1918 and RFC 4193. fc00::/8, not fc00::/7: fd00::/8 holds
// AWS's IPv6 metadata address (fd00:ec2::254), and no allowance may cover a metadata address.
const LOCAL_RANGES = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/8"];

/** Parses the `--upstream` values; a malformed one is a usage error naming it. */
export function parseUpstreamOverrides(values: readonly string[]): UpstreamOverride[] {
  return values.map((value) => {
    const eq = value.indexOf("=");
    const target = eq === -1 ? "" : value.slice(0, eq).trim();
    const url = eq === -1 ? "" : value.slice(eq + 1).trim();
    if (!target || !url) throw new UsageError(`--upstream '${value}' must look like <slug>=<url> or <gateway>/<slug>=<url>`);
    const slash = target.indexOf("/");
    return slash === -1 ? { gateway: null, slug: target, url } : { gateway: target.slice(0, slash), slug: target.slice(slash + 1), url };
  });
}

/**
 * Replaces the upstream of each named endpoint for this run only, leaving the definition file
 * alone. Because the override is explicit, the endpoint may reach loopback and private ranges
 * (never a cloud metadata address). A gateway with an override gets the revision
 * `<committed revision>+override`, which every audit record of this run carries.
 * Unknown gateways or slugs, ambiguous slugs and unusable URLs are usage errors.
 */
export function applyUpstreamOverrides(gateways: Gateway[], overrides: readonly UpstreamOverride[]): { gateways: Gateway[]; applied: AppliedOverride[] } {
  const applied: AppliedOverride[] = [];
  const committed = new Map(gateways.map((g) => [g.name, g]));
  const byName = new Map(gateways.map((g) => [g.name, { ...g, endpoints: { ...g.endpoints } }]));
  for (const o of overrides) {
    const gateway = pick(o, [...byName.values()]);
    // Allowances stack on the committed endpoint's own, not on an earlier override's.
    const endpoint = committed.get(gateway.name)!.endpoints[o.slug]!;
    const flag = `--upstream ${o.gateway ? `${o.gateway}/` : ""}${o.slug}=${o.url}`;
    const problem = upstreamUrlProblem(o.url);
    if (problem) throw new UsageError(`${flag}: ${problem}`);
    const allow = [...new Set([...endpoint.unsafeAllowPrivateNetworks, ...LOCAL_RANGES])];
    const refusal = checkUpstreamUrlStatic(o.url, { allow });
    if (refusal)
      throw new UsageError(
        `${flag}: ${refusal.reason} (SSRF rule ${refusal.rule}); an override may point at loopback or a private network, never at a cloud metadata address`,
      );
    const original = committed.get(gateway.name)!;
    gateway.endpoints[o.slug] = { ...endpoint, upstream: o.url, unsafeAllowPrivateNetworks: allow };
    gateway.revision = `${original.revision}${OVERRIDE_REVISION_SUFFIX}`;
    const entry: AppliedOverride = { gateway: gateway.name, slug: o.slug, from: original.endpoints[o.slug]!.upstream, to: o.url, allow: LOCAL_RANGES };
    const same = applied.findIndex((a) => a.gateway === entry.gateway && a.slug === entry.slug);
    if (same === -1) applied.push(entry);
    else applied[same] = entry; // the last --upstream for an endpoint wins, as with any repeated flag
  }
  return { gateways: gateways.map((g) => byName.get(g.name)!), applied };
}

/** The gateway an override is for; every way of getting it wrong names what exists. */
function pick(o: UpstreamOverride, gateways: Gateway[]): Gateway {
  const all = gateways.flatMap((g) => Object.keys(g.endpoints).map((slug) => `${g.name}/${slug}`));
  const known = gateways.length === 1 ? Object.keys(gateways[0]!.endpoints).join(", ") : all.join(", ");
  if (o.gateway !== null) {
    const gateway = gateways.find((g) => g.name === o.gateway);
    if (!gateway) throw new UsageError(`--upstream ${o.gateway}/${o.slug}: no gateway '${o.gateway}'; gateways: ${gateways.map((g) => g.name).join(", ")}`);
    if (!gateway.endpoints[o.slug])
      throw new UsageError(
        `--upstream ${o.gateway}/${o.slug}: gateway '${o.gateway}' has no endpoint '${o.slug}'; endpoints: ${Object.keys(gateway.endpoints).join(", ")}`,
      );
    return gateway;
  }
  const matches = gateways.filter((g) => g.endpoints[o.slug]);
  if (matches.length === 0) throw new UsageError(`--upstream ${o.slug}: no endpoint '${o.slug}'; endpoints: ${known}`);
  if (matches.length > 1) {
    throw new UsageError(
      `--upstream ${o.slug}: endpoint '${o.slug}' is in several gateways; say which: ${matches.map((g) => `${g.name}/${o.slug}=<url>`).join(" or ")}`,
    );
  }
  return matches[0]!;
}
