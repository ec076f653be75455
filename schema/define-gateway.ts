import type * as z from "zod";
import { checkDefinition } from "./check-definition.ts";
import { resolveCors } from "./cors.ts";
import { DefinitionError, formatPath, type DefinitionIssue } from "./definition-error.ts";
import { REQUEST_BYTES, TIMEOUT_SECONDS } from "./endpoint.ts";
import { GatewaySchema, type Endpoint, type Gateway, type GatewayInput } from "./gateway.ts";
import { gatewayIdFromName } from "./gateway-id.ts";
import { DEFAULT_FORWARD_HEADERS } from "./headers.ts";
import type { InjectValue } from "./inject-value.ts";
import { STANDARD_METHODS } from "./methods.ts";
import { definitionRevision } from "./revision.ts";

/**
 * Validates a gateway definition and fills in every default. Throws a {@link DefinitionError}
 * listing every problem, each with its path, when anything is wrong; a typo in a field name is
 * a problem, never silently ignored.
 *
 * @example
 * export default defineGateway({
 *   name: "acme",
 *   endpoints: {
 *     stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET", "POST"],
 *               headers: { inject: { authorization: secret("STRIPE_BEARER") } } },
 *   },
 * });
 */
export function defineGateway(definition: GatewayInput): Gateway {
  const result = validateGateway(definition);
  if (!result.ok) throw new DefinitionError(result.issues, nameOf(definition));
  return result.gateway;
}

/** Like {@link defineGateway} but returns the problems instead of throwing. */
export function validateGateway(definition: unknown): { ok: true; gateway: Gateway } | { ok: false; issues: DefinitionIssue[] } {
  const parsed = GatewaySchema.safeParse(definition, { error: plainMessage });
  const issues = [...(parsed.success ? [] : parsed.error.issues.flatMap(toIssues)), ...checkDefinition(definition)];
  if (!parsed.success || issues.length > 0) return { ok: false, issues: dedupe(issues) };
  return { ok: true, gateway: resolve(parsed.data) };
}

function resolve(data: z.output<typeof GatewaySchema>): Gateway {
  const endpoints: Record<string, Endpoint> = {};
  for (const [slug, e] of Object.entries(data.endpoints)) {
    const rateLimit = e.rateLimit ?? data.defaults.rateLimit;
    const endpoint: Endpoint = {
      slug,
      upstream: e.upstream,
      // Set-like lists in a fixed order, so reordering them changes neither revision nor deploy.
      methods: STANDARD_METHODS.filter((m) => e.methods.includes(m)),
      forwardPath: e.forwardPath,
      forwardQuery: e.forwardQuery,
      headers: {
        forward: [...new Set((e.headers.forward ?? DEFAULT_FORWARD_HEADERS).map((h) => h.toLowerCase()))].sort(),
        // zod types an absent optional `prefix` as `prefix?: string | undefined`; it never outputs the key as undefined.
        inject: Object.fromEntries(Object.entries(e.headers.inject).map(([k, v]) => [k.toLowerCase(), v as InjectValue])),
        allowSetCookie: e.headers.allowSetCookie,
      },
      auditQueryValues: [...new Set(e.auditQueryValues)].sort(),
      unsafeAllowPrivateNetworks: [...new Set(e.unsafeAllowPrivateNetworks)].sort(),
      timeoutSeconds: e.timeoutSeconds ?? data.defaults.timeoutSeconds ?? TIMEOUT_SECONDS.default,
      maxRequestBytes: e.maxRequestBytes ?? data.defaults.maxRequestBytes ?? REQUEST_BYTES.default,
    };
    if (e.connection !== undefined) endpoint.connection = e.connection;
    if (e.cors !== undefined) endpoint.cors = resolveCors(e.cors, { methods: endpoint.methods, forward: endpoint.headers.forward });
    if (rateLimit !== undefined) endpoint.rateLimit = rateLimit;
    endpoints[slug] = endpoint;
  }
  const body = {
    name: data.name,
    id: data.id ?? gatewayIdFromName(data.name),
    ...(data.description !== undefined ? { description: data.description } : {}),
    endpoints,
    connections: data.connections,
  };
  const gateway: Gateway = { ...body, revision: definitionRevision(body) };
  // Not enumerable, so it never reaches JSON, hashes or diffs; Symbol.for works across copies
  // of this package (a user's project and the CLI may load different ones).
  Object.defineProperty(gateway, VALIDATED, { value: true, enumerable: false });
  return gateway;
}

const VALIDATED = Symbol.for("gatehouse.validated-gateway");

/** True when `value` came out of {@link defineGateway} (in any copy of this package). */
export function isValidatedGateway(value: unknown): value is Gateway {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[VALIDATED] === true;
}

function toIssues(issue: z.core.$ZodIssue): DefinitionIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: `unknown field '${key}' (check its spelling; unknown fields are never ignored)`,
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** Zod's fallback messages, reworded for people who write definitions rather than schemas. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type") {
    const got = issue.input === undefined ? "nothing" : Array.isArray(issue.input) ? "a list" : typeof issue.input;
    return issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${got}`;
  }
  return undefined;
}

function dedupe(issues: DefinitionIssue[]): DefinitionIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function nameOf(definition: unknown): string | undefined {
  const name = (definition as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}
