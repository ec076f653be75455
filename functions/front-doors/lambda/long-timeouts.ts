import type { Endpoint, Gateway } from "../../../schema/gateway.ts";

/**
 * The longest endpoint timeout the API Gateway door serves. HTTP APIs cut every integration at
 * 30 s (a hard quota); one second is kept for Lambda start-up and the audit write, so the client
 * gets Gatehouse's own 504 rather than API Gateway's bare 503.
 */
export const API_DOOR_MAX_TIMEOUT_SECONDS = 29;

/** True when an endpoint's timeout needs the streaming Function URL door. */
export function needsStreamingDoor(endpoint: Endpoint): boolean {
  return endpoint.timeoutSeconds > API_DOOR_MAX_TIMEOUT_SECONDS;
}

/** The endpoints of a gateway the streaming door serves, by slug. */
export function streamingSlugs(gateway: Gateway): string[] {
  return Object.values(gateway.endpoints).filter(needsStreamingDoor).map((e) => e.slug);
}

/**
 * On the API door, the endpoint a request is for when that endpoint belongs to the streaming
 * door (its timeout is above what API Gateway allows); null otherwise. Such a request would be
 * cut at 30 s by API Gateway, so it is answered 421 with the right URL instead.
 */
export function misdirectedEndpoint(gateway: Gateway, path: string): Endpoint | null {
  const prefix = `/api/${gateway.id}/proxy/`;
  if (!path.startsWith(prefix)) return null;
  const slug = path.slice(prefix.length).split("/", 1)[0]!;
  const endpoint = Object.hasOwn(gateway.endpoints, slug) ? gateway.endpoints[slug]! : null;
  return endpoint && needsStreamingDoor(endpoint) ? endpoint : null;
}
