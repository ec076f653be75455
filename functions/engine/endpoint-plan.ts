import type { Endpoint } from "../../schema/gateway.ts";
import { neverForwardReason } from "../../schema/headers.ts";

/** What every request to one endpoint needs from its definition, computed once. */
export interface EndpointPlan {
  /** The upstream's origin, `https://api.example.com`. */
  origin: string;
  /** The upstream's path without a trailing `/` (`""` for the root). */
  base: string;
  /** `headers.forward` without the names the gateway never forwards, whatever the list says. */
  forward: readonly string[];
  /** `methods` as a set, for the allowlist check. */
  methods: ReadonlySet<string>;
}

// Keyed by identity: a definition reloaded (new objects) gets new plans, old ones are collected.
const plans = new WeakMap<Endpoint, EndpointPlan>();

/**
 * The endpoint's plan, parsed on first use and cached: parsing the upstream URL and filtering
 * the forward list per request was a measurable share of the hot path. Definitions are not
 * mutated after `defineGateway`, so the cache never goes stale.
 */
export function endpointPlan(endpoint: Endpoint): EndpointPlan {
  let plan = plans.get(endpoint);
  if (!plan) {
    const upstream = new URL(endpoint.upstream);
    plan = {
      origin: upstream.origin,
      base: upstream.pathname.endsWith("/") ? upstream.pathname.slice(0, -1) : upstream.pathname,
      forward: endpoint.headers.forward.filter((name) => neverForwardReason(name) === null),
      methods: new Set<string>(endpoint.methods),
    };
    plans.set(endpoint, plan);
  }
  return plan;
}
