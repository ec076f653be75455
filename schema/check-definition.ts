import type { DefinitionIssue } from "./definition-error.ts";
import { formatPath } from "./definition-error.ts";
import { corsProblems } from "./cors.ts";
import { isBasicAuth, isLiteralInject } from "./inject-value.ts";
import { neverForwardReason, neverInjectReason } from "./headers.ts";
import { rateLimitProblems, type RateLimit } from "./rate-limit.ts";
import { SLUG } from "./gateway.ts";
import { upstreamUrlProblem } from "./upstream-url.ts";
import { checkUpstreamUrlStatic, validateAllowance } from "./ssrf/index.ts";
import { privateUpstreamHint } from "./private-upstream-hint.ts";

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The rules that span fields. Works on the raw definition, whatever its state, so it can run
 * beside the zod parse and both sets of problems reach the user together.
 */
export function checkDefinition(input: unknown): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path: formatPath(path), message });
  if (!isObject(input)) return issues;

  const connections = isObject(input.connections) ? input.connections : {};
  for (const name of Object.keys(connections)) {
    if (!SLUG.test(name)) add(["connections", name], "a connection name must be lower-case letters, digits, '-' or '_'");
  }

  if (isObject(input.defaults) && isObject(input.defaults.rateLimit)) {
    checkRateLimit(["defaults", "rateLimit"], input.defaults.rateLimit, add);
  }

  const endpoints = isObject(input.endpoints) ? input.endpoints : {};
  // `{ __proto__: {...} }` in an object literal sets the prototype instead of making a key: the
  // endpoint would vanish without a word.
  for (const field of ["endpoints", "connections"] as const) {
    const value = input[field];
    const proto = isObject(value) ? Object.getPrototypeOf(value) : Object.prototype;
    if (proto !== Object.prototype && proto !== null)
      add(
        [field, "__proto__"],
        "'__proto__' cannot be a slug: in an object literal it sets the prototype, so the entry would silently disappear; pick another name",
      );
  }
  for (const [slug, endpoint] of Object.entries(endpoints)) {
    const at = ["endpoints", slug];
    if (!SLUG.test(slug)) {
      add(at, `'${slug}' is not a valid slug: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63`);
    }
    if (!isObject(endpoint)) continue;
    checkEndpoint(at, endpoint, connections, add);
  }
  return issues;
}

type Add = (path: PropertyKey[], message: string) => void;

function checkEndpoint(at: PropertyKey[], endpoint: Raw, connections: Raw, add: Add): void {
  const allow = Array.isArray(endpoint.unsafeAllowPrivateNetworks) ? endpoint.unsafeAllowPrivateNetworks.filter((v): v is string => typeof v === "string") : [];
  const validAllow: string[] = [];
  allow.forEach((cidr, i) => {
    const problem = validateAllowance(cidr);
    if (problem) add([...at, "unsafeAllowPrivateNetworks", i], problem);
    else validAllow.push(cidr);
  });

  if (typeof endpoint.upstream === "string") {
    const problem = upstreamUrlProblem(endpoint.upstream);
    if (problem) add([...at, "upstream"], problem);
    else {
      const refusal = checkUpstreamUrlStatic(endpoint.upstream, { allow: validAllow });
      if (refusal) add([...at, "upstream"], `${refusal.reason} (SSRF rule ${refusal.rule})${privateUpstreamHint(String(at[1]), endpoint.upstream, refusal)}`);
    }
  }

  const headers = isObject(endpoint.headers) ? endpoint.headers : {};
  if (Array.isArray(headers.forward)) {
    headers.forward.forEach((name, i) => {
      if (typeof name !== "string") return;
      const reason = neverForwardReason(name);
      if (reason) add([...at, "headers", "forward", i], `'${name}' can never be forwarded: ${reason}`);
    });
  }
  const inject = isObject(headers.inject) ? headers.inject : {};
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(inject)) {
    const lower = name.toLowerCase();
    const reason = neverInjectReason(name);
    if (reason) add([...at, "headers", "inject", name], `'${name}' can never be injected: ${reason}`);
    const earlier = seen.get(lower);
    if (earlier !== undefined) add([...at, "headers", "inject", name], `'${name}' is the same header as '${earlier}' (names are case-insensitive)`);
    seen.set(lower, name);
    if (isBasicAuth(value) && isLiteralInject(value)) {
      add([...at, "headers", "inject", name], "basicAuth needs secret() for the user name or the password: a credential never sits in a definition");
    } else if ((lower === "authorization" || lower === "proxy-authorization") && typeof value === "string") {
      add(
        [...at, "headers", "inject", name],
        `${name} must be injected from a secret: use secret("NAME", { prefix: "Bearer " }) or basicAuth(secret("USER"), secret("PASS")), never a literal value`,
      );
    }
    if (lower === "authorization" && typeof endpoint.connection === "string") {
      add([...at, "headers", "inject", name], `Authorization is set by connection '${endpoint.connection}'; do not inject it as well`);
    }
  }

  if (endpoint.connection !== undefined) {
    if (typeof endpoint.connection !== "string" || !(endpoint.connection in connections)) {
      const known = Object.keys(connections);
      add(
        [...at, "connection"],
        `unknown connection '${String(endpoint.connection)}'; ${known.length ? `defined: ${known.join(", ")}` : "this gateway defines no connections"}`,
      );
    }
  }

  if (isObject(endpoint.rateLimit)) checkRateLimit([...at, "rateLimit"], endpoint.rateLimit, add);
  if (isObject(endpoint.cors)) for (const [path, message] of corsProblems(endpoint.cors, endpoint.methods)) add([...at, "cors", ...path], message);
}

function checkRateLimit(at: PropertyKey[], raw: Raw, add: Add): void {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const inner = isObject(raw.endpoint) ? raw.endpoint : undefined;
  const limit: RateLimit = {
    perMinute: num(raw.perMinute),
    perHour: num(raw.perHour),
    ...(inner ? { endpoint: { perMinute: num(inner.perMinute), perHour: num(inner.perHour) } } : {}),
  };
  const allAbsent = raw.perMinute === undefined && raw.perHour === undefined && (!inner || (inner.perMinute === undefined && inner.perHour === undefined));
  for (const [path, message] of rateLimitProblems(limit)) {
    if (path.length === 0 && !allAbsent) continue;
    add([...at, ...path], message);
  }
}
