import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

/** Where a request path leads. */
export type Route =
  | { kind: "proxy"; gateway: Gateway; endpoint: Endpoint; tail: string }
  | { kind: "oauth"; gateway: Gateway; connection: string; action: string };

const PREFIX = "/api/";

/**
 * Matches `/api/<gateway-id>/proxy/<slug>[/<tail>]` and `/api/<gateway-id>/oauth/<connection>/<action>`.
 * The tail is returned raw (leading `/` kept, percent-encoding untouched).
 */
export function matchRoute(gateways: ReadonlyMap<string, Gateway>, path: string): StepResult<{ route: Route }> {
  if (!path.startsWith(PREFIX)) return refused(refuse("ROUTE_NOT_FOUND", "path is not under /api/"));
  const rest = path.slice(PREFIX.length);
  const idEnd = rest.indexOf("/");
  if (idEnd < 0) return refused(refuse("ROUTE_NOT_FOUND", "no route after the gateway id"));
  const gateway = gateways.get(rest.slice(0, idEnd));
  if (!gateway) return refused(refuse("ROUTE_NOT_FOUND", "unknown gateway id"));
  const afterId = rest.slice(idEnd + 1);
  const kindEnd = afterId.indexOf("/");
  const kind = kindEnd < 0 ? afterId : afterId.slice(0, kindEnd);
  const afterKind = kindEnd < 0 ? "" : afterId.slice(kindEnd + 1);
  const slugEnd = afterKind.indexOf("/");
  const name = slugEnd < 0 ? afterKind : afterKind.slice(0, slugEnd);
  const tail = slugEnd < 0 ? "" : afterKind.slice(slugEnd);
  if (kind === "proxy") {
    const endpoint = Object.hasOwn(gateway.endpoints, name) ? gateway.endpoints[name] : undefined;
    if (!endpoint) return refused(refuse("ROUTE_NOT_FOUND", `unknown endpoint '${name.slice(0, 64)}'`));
    return { ok: true, route: { kind: "proxy", gateway, endpoint, tail } };
  }
  if (kind === "oauth" && Object.hasOwn(gateway.connections, name)) {
    const action = tail.replace(/^\//, "");
    if (/^[a-z]+$/.test(action)) return { ok: true, route: { kind: "oauth", gateway, connection: name, action } };
  }
  return refused(refuse("ROUTE_NOT_FOUND", "unknown route"));
}

/**
 * The gateway a path names, when the route itself did not match (`/api/<known id>/proxy/nope`):
 * so a 404 under a known gateway is audited under that gateway. Off the hot path (404s only).
 */
export function gatewayOfPath(gateways: ReadonlyMap<string, Gateway>, path: string): Gateway | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const rest = path.slice(PREFIX.length);
  const idEnd = rest.indexOf("/");
  return gateways.get(idEnd < 0 ? rest : rest.slice(0, idEnd));
}
