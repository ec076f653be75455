import { defineGateway, secret } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { GatewayRequest } from "../../functions/ports/http-types.ts";

/** The secret the bench endpoint injects upstream, by name. */
export const BENCH_SECRET_NAME = "BENCH_UPSTREAM_KEY";

/** The endpoint slug every gatehouse run proxies through. */
export const BENCH_SLUG = "items";

/**
 * The gateway measured: one endpoint with the whole policy on, so every pipeline step does
 * real work: token check (every request carries a token), method allowlist, a forward
 * allowlist, an injected secret header, per-token minute and hour caps (far above what a run
 * sends, so nothing is refused), audit, and the SSRF guard with loopback allowed explicitly.
 */
export function benchGateway(upstreamOrigin: string): Gateway {
  return defineGateway({
    name: "bench",
    endpoints: {
      [BENCH_SLUG]: {
        upstream: `${upstreamOrigin}/v1`,
        methods: ["GET", "POST"],
        headers: { forward: ["accept", "content-type", "user-agent"], inject: { "x-upstream-key": secret(BENCH_SECRET_NAME) } },
        rateLimit: { perMinute: 10_000_000, perHour: 10_000_000 },
        unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
        timeoutSeconds: 10,
      },
    },
  });
}

/** The path every run requests: one item below the bench endpoint. */
export function benchPath(gateway: Gateway): string {
  return `/api/${gateway.id}/proxy/${BENCH_SLUG}/items/42`;
}

/** The request the in-process benches hand the engine: what wrk sends, plus the token, so each does the load runs' work per request. */
export function benchRequest(gateway: Gateway, token: string): GatewayRequest {
  return {
    method: "GET",
    path: benchPath(gateway),
    query: "",
    headers: { host: "127.0.0.1:8080", authorization: `Bearer ${token}`, accept: "*/*", "user-agent": "wrk" },
    body: null,
    clientAddress: "127.0.0.1",
  };
}
