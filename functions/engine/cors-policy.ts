import type { Endpoint } from "../../schema/gateway.ts";
import type { GatewayRequest, GatewayResponse, HeaderMap } from "../ports/http-types.ts";

/** An endpoint's `cors`, turned once into what each request needs: sets to look up, header values ready to send. */
export interface CorsPolicy {
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
  methods: ReadonlySet<string>;
  /** Lower-case request headers a page may send (Authorization always among them). */
  headers: ReadonlySet<string>;
  allowMethods: string;
  allowHeaders: string;
  exposeHeaders: string;
  credentials: boolean;
  maxAge: string;
}

// Keyed by identity like the endpoint plan: a reloaded definition gets new policies.
const policies = new WeakMap<Endpoint, CorsPolicy>();

/**
 * The endpoint's CORS policy, or null when it has none. Endpoints without `cors` cost one field
 * read and allocate nothing.
 */
export function corsPolicy(endpoint: Endpoint): CorsPolicy | null {
  const cors = endpoint.cors;
  if (cors === undefined) return null;
  let policy = policies.get(endpoint);
  if (!policy) {
    const headers = [...new Set(["authorization", ...cors.headers])].sort();
    policy = {
      anyOrigin: cors.origins.includes("*"),
      origins: new Set(cors.origins),
      methods: new Set(cors.methods),
      headers: new Set(headers),
      allowMethods: cors.methods.join(", "),
      allowHeaders: headers.join(", "),
      exposeHeaders: cors.exposeHeaders.join(", "),
      credentials: cors.credentials,
      maxAge: String(cors.maxAgeSeconds),
    };
    policies.set(endpoint, policy);
  }
  return policy;
}

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A CORS preflight: `OPTIONS` carrying `Origin` and `Access-Control-Request-Method` (Fetch standard, "CORS-preflight request"). */
export function isPreflight(request: GatewayRequest): boolean {
  return request.method === "OPTIONS" && request.headers.origin !== undefined && request.headers["access-control-request-method"] !== undefined;
}

/** The `Access-Control-Allow-Origin` value for this request's origin, or null when the origin is not allowed. */
function allowedOrigin(policy: CorsPolicy, headers: HeaderMap): string | null {
  const origin = one(headers.origin);
  if (origin === undefined) return null;
  if (policy.anyOrigin) return "*";
  return policy.origins.has(origin) ? origin : null;
}

/**
 * The headers of the gateway's own `204` to a preflight the policy allows (origin, method and
 * every requested header), or null: a refused preflight gets no CORS headers and goes on as any
 * request without a token does.
 */
export function preflightHeaders(policy: CorsPolicy, headers: HeaderMap): Record<string, string> | null {
  const origin = allowedOrigin(policy, headers);
  if (origin === null) return null;
  const method = one(headers["access-control-request-method"])?.trim() ?? "";
  // Methods are case-sensitive here: the Fetch standard upper-cases only the standard ones, and so do our lists.
  if (!policy.methods.has(method)) return null;
  const requested = one(headers["access-control-request-headers"]);
  if (requested) {
    for (const name of requested.split(",")) {
      const trimmed = name.trim().toLowerCase();
      if (trimmed && !policy.headers.has(trimmed)) return null;
    }
  }
  const out: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": policy.allowMethods,
    "access-control-allow-headers": policy.allowHeaders,
    "access-control-max-age": policy.maxAge,
    vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
  };
  if (policy.credentials) out["access-control-allow-credentials"] = "true";
  return out;
}

/**
 * Adds CORS to an actual response (the upstream's or a refusal): `Access-Control-Allow-Origin`
 * and the credentials and expose fields for an allowed origin, and `Vary: Origin` always, so a
 * shared cache never hands one origin's answer to another.
 */
export function addCorsHeaders(policy: CorsPolicy, request: GatewayRequest, response: GatewayResponse): void {
  const headers = response.headers;
  const vary = headers.vary;
  if (vary === undefined) headers.vary = "Origin";
  else {
    const joined = Array.isArray(vary) ? vary.join(", ") : vary;
    if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(joined)) headers.vary = `${joined}, Origin`;
  }
  const origin = allowedOrigin(policy, request.headers);
  if (origin === null) return;
  headers["access-control-allow-origin"] = origin;
  if (policy.credentials) headers["access-control-allow-credentials"] = "true";
  if (policy.exposeHeaders) headers["access-control-expose-headers"] = policy.exposeHeaders;
}
