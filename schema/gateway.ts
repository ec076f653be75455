import * as z from "zod";
import type { Cors } from "./cors.ts";
import { ConnectionSchema, type Connection } from "./connection.ts";
import { EndpointSchema, endpointDefaultsShape } from "./endpoint.ts";
import type { Method } from "./methods.ts";
import type { RateLimit } from "./rate-limit.ts";
import type { InjectValue } from "./inject-value.ts";

/** Gateway names: lower-case letters, digits and '-', starting with a letter, at most 40. */
export const GATEWAY_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Endpoint slugs: lower-case, URL-safe, at most 63 characters. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * The zod schema of a gateway definition as written. Cross-field rules (unknown connections,
 * forbidden headers, SSRF) are checked by `checkDefinition`, which also runs on broken input
 * so every problem is reported at once.
 */
export const GatewaySchema = z.strictObject({
  /** Lower-case name, used in resource names and CLI commands. */
  name: z
    .string({ error: "name is required" })
    .regex(GATEWAY_NAME, "name must be lower-case letters, digits and '-', starting with a letter, at most 40 characters"),
  /** The UUID in URLs. @default a UUID v5 of `name` (stable across deploys; set it to keep URLs when renaming) */
  id: z.uuid("id must be a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427").optional(),
  description: z.string().max(500).optional(),
  endpoints: z
    .record(z.string(), EndpointSchema, { error: "endpoints must be an object of slug: endpoint" })
    .refine((value) => Object.keys(value).length > 0, "a gateway needs at least one endpoint"),
  /** OAuth service connections by name. @default {} */
  connections: z.record(z.string(), ConnectionSchema).default({}),
  /** Values every endpoint gets unless it sets its own. @default {} */
  defaults: z.strictObject(endpointDefaultsShape).default({}),
});

/** A gateway definition as written by a user (the argument of `defineGateway`). */
export type GatewayInput = z.input<typeof GatewaySchema>;

/** A validated endpoint with every default filled in. */
export interface Endpoint {
  slug: string;
  upstream: string;
  methods: Method[];
  forwardPath: boolean;
  forwardQuery: boolean;
  headers: {
    /** Lower-case names. */
    forward: string[];
    /** Lower-case names to a literal, a (prefixed) secret reference or Basic credentials. */
    inject: Record<string, InjectValue>;
    allowSetCookie: boolean;
  };
  connection?: string;
  /** Browser origins that may call the endpoint; absent: no CORS at all. */
  cors?: Cors;
  auditQueryValues: string[];
  unsafeAllowPrivateNetworks: string[];
  timeoutSeconds: number;
  maxRequestBytes: number;
  rateLimit?: RateLimit;
}

/** A validated gateway: what the engine, infra and diff work from. */
export interface Gateway {
  name: string;
  id: string;
  description?: string;
  endpoints: Record<string, Endpoint>;
  connections: Record<string, Connection>;
  /** Hash of the validated definition; recorded with every audited decision. */
  revision: string;
}
