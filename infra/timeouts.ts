import type { Endpoint } from "../schema/gateway.ts";
import { needsStreamingDoor } from "../functions/contracts/lambda-contract.ts";

/** API Gateway HTTP API's hard integration limit. */
export const HTTP_API_MAX_INTEGRATION_MS = 30_000;

/**
 * Slack on top of the upstream timeout: the request is checked (token, rate limit) before the
 * upstream call starts and audited after it ends, and a cold start adds to the first request.
 */
export const TIMEOUT_MARGIN_SECONDS = 2;

/** Seconds a function may run beyond its longest endpoint timeout (cold start, audit write). */
export const FUNCTION_MARGIN_SECONDS = 5;

/** The integration timeout of one API-door endpoint: its upstream timeout plus margin, capped at 30 s. */
export function integrationTimeoutMs(endpoint: Endpoint): number {
  return Math.min(HTTP_API_MAX_INTEGRATION_MS, (endpoint.timeoutSeconds + TIMEOUT_MARGIN_SECONDS) * 1000);
}

/**
 * The shortest the API function may run: it also serves the OAuth connect pages, whose callback
 * exchanges the code and reads the identity (each call up to 10 s) whatever the endpoints' timeouts.
 */
export const API_FUNCTION_MIN_SECONDS = 25;

/** The function timeout that covers the longest of the endpoints a door serves (and `floor`). */
export function functionTimeoutSeconds(endpoints: Endpoint[], floor = 0): number {
  const longest = Math.max(floor, ...endpoints.map((e) => e.timeoutSeconds));
  return Math.min(900, longest + FUNCTION_MARGIN_SECONDS);
}

/** Endpoints split by door: API Gateway (≤ 29 s) and the streaming Function URL (> 29 s). */
export function splitByDoor(endpoints: Endpoint[]): { api: Endpoint[]; stream: Endpoint[] } {
  return { api: endpoints.filter((e) => !needsStreamingDoor(e)), stream: endpoints.filter(needsStreamingDoor) };
}
