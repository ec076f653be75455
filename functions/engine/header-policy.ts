import type { Endpoint } from "../../schema/gateway.ts";
import { HOP_BY_HOP } from "../../schema/headers.ts";
import type { HeaderMap } from "../ports/http-types.ts";
import { endpointPlan } from "./endpoint-plan.ts";

const NONE_LISTED: ReadonlySet<string> = new Set();

/** Names listed in a `Connection` header: per-connection fields that must not travel on. */
function connectionListed(headers: HeaderMap): ReadonlySet<string> {
  const value = headers.connection;
  // Most carry none, or only `keep-alive`, itself hop-by-hop and always dropped: no set to build.
  if (value === undefined || value === "keep-alive") return NONE_LISTED;
  const listed = new Set<string>();
  for (const v of Array.isArray(value) ? value : value ? [value] : []) {
    for (const name of v.split(",")) {
      const trimmed = name.trim().toLowerCase();
      if (trimmed) listed.add(trimmed);
    }
  }
  return listed;
}

/**
 * The client headers that go upstream: only the endpoint's allowlist, and never a header the
 * gateway owns or one named in `Connection`, whatever the allowlist says.
 */
export function forwardedRequestHeaders(endpoint: Endpoint, headers: HeaderMap): Record<string, string> {
  const listed = connectionListed(headers);
  const out: Record<string, string> = {};
  // The plan's list already lacks the names the gateway never forwards.
  for (const name of endpointPlan(endpoint).forward) {
    const value = headers[name];
    if (value === undefined || listed.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Response headers that never reach the client: per-connection ones, and `alt-svc`, which would advertise the upstream's endpoints as ours. */
const NEVER_RETURNED = new Set([...HOP_BY_HOP, "proxy-authenticate", "alt-svc"]);

/**
 * The upstream's response headers as the client gets them: hop-by-hop and `Connection`-listed
 * fields stripped, `Access-Control-*` always stripped, `Set-Cookie` only when the endpoint allows it. A new object, which the
 * engine then completes (RateLimit fields, request id) as the response's headers.
 */
export function returnedResponseHeaders(endpoint: Endpoint, headers: HeaderMap): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || !Object.hasOwn(headers, name)) continue;
    const lower = name.toLowerCase();
    if (NEVER_RETURNED.has(lower) || listed.has(lower)) continue;
    // The gateway alone decides CORS (an endpoint's `cors`); an upstream's own fields would contradict it.
    if (lower.startsWith("access-control-")) continue;
    if (lower === "set-cookie" && !endpoint.headers.allowSetCookie) continue;
    out[lower] = value;
  }
  return out;
}
