import * as z from "zod";
import { HEADER_NAME } from "./headers.ts";
import { MethodSchema, STANDARD_METHODS, type Method } from "./methods.ts";

/** `maxAgeSeconds` bounds: browsers cap it lower (Chromium 2 h, Firefox 24 h); 0 disables the preflight cache. */
export const CORS_MAX_AGE = { min: 0, max: 86_400, default: 600 } as const;

const corsHeader = z.string().regex(HEADER_NAME, "is not a valid header name (RFC 9110 token characters only)");

/**
 * Which browser pages may call an endpoint (Cross-Origin Resource Sharing, answered by the
 * gateway itself: a preflight needs no token, upstream `Access-Control-*` headers never pass).
 *
 * @example
 * cors: { origins: ["https://app.acme.example", "http://localhost:5173"], exposeHeaders: ["x-total-count"] }
 */
export const CorsSchema = z.strictObject({
  /** Exact origins `scheme://host[:port]` (no path, no trailing `/`), or `["*"]` for any origin (never with credentials). Required. */
  origins: z.array(z.string(), { error: 'origins must be a list such as ["https://app.example.com"]' }).min(1, "origins must name at least one origin"),
  /** Methods a page may use; each must be one of the endpoint's `methods`. @default the endpoint's methods */
  methods: z.array(MethodSchema).min(1, "methods must name at least one method (leave it out for the endpoint's methods)").optional(),
  /** Request headers a page may send; `Authorization` (the Gatehouse token) is always allowed. @default the endpoint's `headers.forward` */
  headers: z.array(corsHeader).optional(),
  /** Response headers a page's script may read beyond the CORS-safelisted ones. @default [] */
  exposeHeaders: z.array(corsHeader).optional(),
  /** Let pages send cookies / TLS client certificates (`Access-Control-Allow-Credentials: true`). @default false */
  credentials: z.boolean().optional(),
  /** How long a browser may cache the preflight answer, in seconds, 0–86400. @default 600 */
  maxAgeSeconds: z
    .number({ error: "maxAgeSeconds must be a whole number of seconds" })
    .int("maxAgeSeconds must be a whole number of seconds")
    .min(CORS_MAX_AGE.min, "maxAgeSeconds must be between 0 and 86400")
    .max(CORS_MAX_AGE.max, "maxAgeSeconds must be between 0 and 86400")
    .optional(),
});

/** The CORS policy of a validated endpoint, every default filled in, lists sorted and lower-case. */
export interface Cors {
  /** Exact origins, or `["*"]`. */
  origins: string[];
  methods: Method[];
  /** Lower-case request header names (Authorization is allowed besides these). */
  headers: string[];
  /** Lower-case response header names. */
  exposeHeaders: string[];
  credentials: boolean;
  maxAgeSeconds: number;
}

/** Fills in the defaults of a parsed `cors` from its endpoint. */
export function resolveCors(input: z.output<typeof CorsSchema>, endpoint: { methods: readonly Method[]; forward: readonly string[] }): Cors {
  const methods = input.methods ?? endpoint.methods;
  return {
    origins: [...new Set(input.origins)].sort(),
    methods: STANDARD_METHODS.filter((m) => methods.includes(m)),
    headers: [...new Set((input.headers ?? endpoint.forward).map((h) => h.toLowerCase()))].sort(),
    exposeHeaders: [...new Set((input.exposeHeaders ?? []).map((h) => h.toLowerCase()))].sort(),
    credentials: input.credentials ?? false,
    maxAgeSeconds: input.maxAgeSeconds ?? CORS_MAX_AGE.default,
  };
}

/**
 * Why `origin` cannot be listed, or null. An origin is matched byte for byte against the
 * browser's `Origin` header, which is always the serialised form: lower-case scheme and host, no
 * default port, no path. So anything else would never match, and is refused with the form to use.
 */
export function corsOriginProblem(origin: string): string | null {
  if (origin === "*") return null;
  if (origin === "null") return "'null' is the origin of sandboxed and file pages, which any page can fake; it can never be allowed";
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `'${origin}' is not an origin; write scheme://host[:port], like https://app.example.com`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `'${origin}' is not an http(s) origin`;
  if (url.origin !== origin)
    return `'${origin}' is not an origin as browsers send it; write '${url.origin}' (no path, no trailing '/', lower case, no default port)`;
  return null;
}

type Raw = Record<string, unknown>;

/**
 * The cross-field rules of a raw `cors` (paths relative to it): origins in browser form, `*`
 * alone and never with credentials, methods among the endpoint's.
 */
export function corsProblems(cors: Raw, endpointMethods: unknown): Array<[path: PropertyKey[], message: string]> {
  const problems: Array<[PropertyKey[], string]> = [];
  const origins = Array.isArray(cors.origins) ? cors.origins : [];
  origins.forEach((origin, i) => {
    if (typeof origin !== "string") return;
    const problem = corsOriginProblem(origin);
    if (problem) problems.push([["origins", i], problem]);
  });
  if (origins.includes("*")) {
    if (origins.length > 1) problems.push([["origins"], "'*' allows every origin: list it alone or list exact origins"]);
    if (cors.credentials === true) {
      problems.push([["credentials"], "credentials cannot be allowed for origin '*' (browsers refuse it): list the exact origins instead"]);
    }
  }
  if (Array.isArray(cors.methods) && Array.isArray(endpointMethods)) {
    const allowed = new Set(endpointMethods.filter((m): m is string => typeof m === "string").map((m) => m.toUpperCase()));
    cors.methods.forEach((method, i) => {
      if (typeof method === "string" && !allowed.has(method.toUpperCase())) {
        problems.push([["methods", i], `'${method}' is not one of the endpoint's methods (${[...allowed].join(", ")}); a page could not use it anyway`]);
      }
    });
  }
  return problems;
}
