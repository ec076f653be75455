import * as z from "zod";
import { CorsSchema } from "./cors.ts";
import { HEADER_NAME } from "./headers.ts";
import { MethodSchema } from "./methods.ts";
import { RateLimitSchema } from "./rate-limit.ts";
import { InjectValueSchema } from "./inject-value.ts";

/**
 * Upstream timeout bounds, in seconds. The default is 29, not 30: API Gateway HTTP APIs stop
 * every integration at 30 s, so 29 is the longest default that still lets the gateway answer its
 * own 504 there; longer endpoints are deployed on a streaming Function URL.
 */
export const TIMEOUT_SECONDS = { min: 1, max: 300, default: 29 } as const;

/** Request body size bounds, in bytes. */
export const REQUEST_BYTES = { max: 100 * 1024 * 1024, default: 1024 * 1024 } as const;

const headerName = z.string().regex(HEADER_NAME, "is not a valid header name (RFC 9110 token characters only)");

/** Fields an endpoint and the gateway's `defaults` share. */
export const endpointDefaultsShape = {
  /** Upstream timeout; past it the client gets 504. Integer 1-300. @default 29 */
  timeoutSeconds: z
    .number({ error: "timeoutSeconds must be a whole number of seconds" })
    .int("timeoutSeconds must be a whole number of seconds")
    .min(TIMEOUT_SECONDS.min, "timeoutSeconds must be between 1 and 300")
    .max(TIMEOUT_SECONDS.max, "timeoutSeconds must be between 1 and 300")
    .optional(),
  /** Largest request body accepted; a larger one gets 413. @default 1048576 (1 MiB) */
  maxRequestBytes: z
    .number({ error: "maxRequestBytes must be a whole number of bytes" })
    .int("maxRequestBytes must be a whole number of bytes")
    .min(0, "maxRequestBytes must not be negative")
    .max(REQUEST_BYTES.max, `maxRequestBytes must be at most ${REQUEST_BYTES.max} (100 MiB)`)
    .optional(),
  /** Per-token (and optional endpoint-wide) caps. @default none */
  rateLimit: RateLimitSchema.optional(),
};

/**
 * One proxied endpoint, keyed by its slug in `endpoints`.
 *
 * @example
 * stripe: {
 *   upstream: "https://api.stripe.com/v1",
 *   methods: ["GET", "POST"],
 *   headers: { forward: ["content-type", "idempotency-key"], inject: { authorization: secret("STRIPE_BEARER", { prefix: "Bearer " }) } },
 *   rateLimit: { perMinute: 60 },
 * }
 */
export const EndpointSchema = z.strictObject({
  /** Absolute http(s) URL; the client's path tail is joined below its path. */
  upstream: z.string({ error: "upstream is required: an absolute http(s) URL" }),
  /** Allowed methods (any case; normalised to upper case). Others get 405. */
  methods: z.array(MethodSchema, { error: 'methods must be a list such as ["GET"]' }).min(1, "methods must name at least one method"),
  /** Forward the path below `/proxy/<slug>/` to the upstream. @default true */
  forwardPath: z.boolean().default(true),
  /** Forward the client's query string. @default true */
  forwardQuery: z.boolean().default(true),
  headers: z
    .strictObject({
      /** Request headers passed on from the client (an allowlist, any case). @default DEFAULT_FORWARD_HEADERS */
      forward: z.array(headerName).optional(),
      /**
       * Headers set on every upstream request, overriding the client's: a literal, `secret("NAME")`,
       * `secret("NAME", { prefix: "Bearer " })` or `basicAuth(user, password)`. @default {}
       */
      inject: z.record(headerName, InjectValueSchema).default({}),
      /** Pass upstream `Set-Cookie` back to the client. @default false */
      allowSetCookie: z.boolean().default(false),
    })
    .default({ inject: {}, allowSetCookie: false }),
  /** Name of an OAuth connection whose bearer token is injected upstream. @default none */
  connection: z.string().optional(),
  /** Browser pages (other origins) that may call this endpoint; see {@link CorsSchema}. @default none (no CORS headers at all) */
  cors: CorsSchema.optional(),
  /** Query parameters whose values the audit may keep; all others are redacted. @default [] */
  auditQueryValues: z.array(z.string()).default([]),
  /**
   * CIDR ranges this endpoint may reach although they are private (an internal service).
   * Loud on purpose: refused at deploy to production stacks, printed by `validate`, and never
   * able to open a cloud metadata address. @default []
   */
  unsafeAllowPrivateNetworks: z.array(z.string()).default([]),
  ...endpointDefaultsShape,
});

/** An endpoint as written in a definition. */
export type EndpointInput = z.input<typeof EndpointSchema>;
