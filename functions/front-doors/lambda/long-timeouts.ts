import type { Endpoint, Gateway } from "../../../schema/gateway.ts";
import { needsStreamingDoor } from "../../contracts/lambda-contract.ts";

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
