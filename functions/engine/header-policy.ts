import type { Endpoint } from "../../schema/gateway.ts";
import { HOP_BY_HOP, neverForwardReason } from "../../schema/headers.ts";
import type { HeaderMap } from "../ports/http-types.ts";

/** Names listed in a `Connection` header: per-connection fields that must not travel on. */
function connectionListed(headers: HeaderMap): Set<string> {
  const listed = new Set<string>();
  const value = headers.connection;
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
  for (const name of endpoint.headers.forward) {
    const value = headers[name];
    if (value === undefined || listed.has(name) || neverForwardReason(name) !== null) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Response headers that never reach the client: per-connection ones, and `alt-svc`, which would advertise the upstream's endpoints as ours. */
const NEVER_RETURNED = new Set([...HOP_BY_HOP, "proxy-authenticate", "alt-svc"]);

/**
 * The upstream's response headers as the client gets them: hop-by-hop and `Connection`-listed
 * fields stripped, `Set-Cookie` only when the endpoint allows it.
 */
export function returnedResponseHeaders(endpoint: Endpoint, headers: HeaderMap): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (NEVER_RETURNED.has(lower) || listed.has(lower)) continue;
    if (lower === "set-cookie" && !endpoint.headers.allowSetCookie) continue;
    out[lower] = value;
  }
  return out;
}
