import { API_DOOR_MAX_TIMEOUT_SECONDS, needsStreamingDoor } from "../../functions/contracts/lambda-contract.ts";
import type { Endpoint } from "../../schema/gateway.ts";
import { isMethodOverrideHeader } from "../../schema/definition-warnings.ts";
import { STANDARD_METHODS } from "../../schema/methods.ts";
import { canonicalJson } from "../../schema/revision.ts";
import type { Change, Effect } from "./change.ts";
import { diffCors } from "./diff-cors.ts";
import { diffInjectedHeaders, describeSource } from "./diff-injected-headers.ts";
import { diffRateLimit } from "./diff-rate-limit.ts";
import { diffUpstream } from "./diff-upstream.ts";
import { code, formatBytes, isAre, joinWords, nounList, setDelta } from "./words.ts";

/** Endpoint fields compared one by one below; any other field still shows, as a neutral change. */
const COMPARED = new Set<string>([
  "slug",
  "upstream",
  "methods",
  "forwardPath",
  "forwardQuery",
  "headers",
  "connection",
  "auditQueryValues",
  "unsafeAllowPrivateNetworks",
  "timeoutSeconds",
  "maxRequestBytes",
  "rateLimit",
  "cors",
]);

/** Every change between two versions of the endpoint `slug`. Lists compare as sets: order never shows. */
export function diffEndpoint(before: Endpoint, after: Endpoint): Change[] {
  const slug = after.slug;
  const s = code(slug);
  const subject = `endpoint:${slug}`;
  const changes: Change[] = [];
  const add = (effect: Effect, kind: string, text: string, alert = false) => changes.push({ effect, kind, subject, text, ...(alert ? { alert } : {}) });

  if (before.upstream !== after.upstream) changes.push(...diffUpstream(slug, before.upstream, after.upstream, after.forwardPath));

  const methods = setDelta(before.methods, after.methods, STANDARD_METHODS);
  if (methods.added.length) add("widening", "methods", `${joinWords(methods.added)} ${isAre(methods.added)} now allowed on ${s}`);
  if (methods.removed.length) add("narrowing", "methods", `${joinWords(methods.removed)} ${isAre(methods.removed)} no longer allowed on ${s}`);

  const forward = setDelta(before.headers.forward, after.headers.forward);
  if (forward.added.length) {
    add("widening", "forward-headers", `${nounList("header", "headers", forward.added)} ${isAre(forward.added)} now forwarded from clients to ${s}`);
  }
  const overrides = forward.added.filter(isMethodOverrideHeader);
  if (overrides.length) {
    add(
      "widening",
      "method-override",
      `${nounList("header", "headers", overrides)} now let clients of ${s} choose the method the upstream acts on, past its allowed methods`,
      true,
    );
  }
  if (forward.removed.length) {
    add("narrowing", "forward-headers", `${nounList("header", "headers", forward.removed)} ${isAre(forward.removed)} no longer forwarded from clients to ${s}`);
  }
  changes.push(...diffInjectedHeaders(slug, before.headers.inject, after.headers.inject));

  if (before.connection !== after.connection) {
    if (before.connection === undefined) add("widening", "connection", `${s} now sends the OAuth token of connection ${code(after.connection!)} upstream`);
    else if (after.connection === undefined)
      add("narrowing", "connection", `${s} no longer sends the OAuth token of connection ${code(before.connection)} upstream`);
    else add("widening", "connection", `${s} now sends the OAuth token of connection ${code(after.connection)} instead of ${code(before.connection)} upstream`);
  }

  const toggle = (kind: string, was: boolean, now: boolean, on: string, off: string) => {
    if (was !== now) add(now ? "widening" : "narrowing", kind, now ? on : off);
  };
  toggle(
    "forward-path",
    before.forwardPath,
    after.forwardPath,
    `${s} now forwards the client's path below the upstream path`,
    `${s} no longer forwards the client's path (every request goes to the upstream URL itself)`,
  );
  toggle(
    "forward-query",
    before.forwardQuery,
    after.forwardQuery,
    `${s} now forwards the client's query string`,
    `${s} no longer forwards the client's query string`,
  );
  toggle(
    "set-cookie",
    before.headers.allowSetCookie,
    after.headers.allowSetCookie,
    `${s} now passes upstream Set-Cookie headers to clients`,
    `${s} no longer passes upstream Set-Cookie headers to clients`,
  );

  const audit = setDelta(before.auditQueryValues, after.auditQueryValues);
  if (audit.added.length) {
    add(
      "widening",
      "audit-query-values",
      `${s} now keeps ${nounList("the value of query parameter", "the values of query parameters", audit.added)} in the audit`,
    );
  }
  if (audit.removed.length) {
    add(
      "narrowing",
      "audit-query-values",
      `${s} no longer keeps ${nounList("the value of query parameter", "the values of query parameters", audit.removed)} in the audit`,
    );
  }

  const networks = setDelta(before.unsafeAllowPrivateNetworks, after.unsafeAllowPrivateNetworks);
  for (const cidr of networks.added) add("widening", "private-network", allowanceAdded(slug, cidr), true);
  for (const cidr of networks.removed) add("narrowing", "private-network", allowanceRemoved(slug, cidr), true);

  // Neutral: a longer wait grants nobody anything new; the policy pack caps it separately. But
  // above 29 s an endpoint is served by the streaming Function URL, so crossing it moves the URL.
  if (before.timeoutSeconds !== after.timeoutSeconds) {
    const verb = after.timeoutSeconds > before.timeoutSeconds ? "raised" : "lowered";
    const text = `timeout on ${s} ${verb} from ${before.timeoutSeconds} s to ${after.timeoutSeconds} s`;
    const door = doorMove(before, after);
    if (door) changes.push({ effect: "neutral", kind: "timeout-door", subject, text: `${text}: ${door}`, alert: true, breaking: true });
    else add("neutral", "timeout", text);
  }
  if (before.maxRequestBytes !== after.maxRequestBytes) {
    const raised = after.maxRequestBytes > before.maxRequestBytes;
    add(
      raised ? "widening" : "narrowing",
      "body-size",
      `request body limit on ${s} ${raised ? "raised" : "lowered"} from ${formatBytes(before.maxRequestBytes)} to ${formatBytes(after.maxRequestBytes)}`,
    );
  }
  changes.push(...diffRateLimit(slug, before.rateLimit, after.rateLimit));
  changes.push(...diffCors(slug, before.cors, after.cors));

  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const field of [...fields].sort()) {
    if (COMPARED.has(field)) continue;
    const was = (before as unknown as Record<string, unknown>)[field];
    const now = (after as unknown as Record<string, unknown>)[field];
    if (canonicalJson(was) !== canonicalJson(now)) add("neutral", "other", `field ${code(field)} of ${s} changed`);
  }
  return changes;
}

/** An endpoint that exists only at head: one sentence with what it opens, and its allowances called out. */
export function describeAddedEndpoint(endpoint: Endpoint): Change[] {
  const s = code(endpoint.slug);
  const subject = `endpoint:${endpoint.slug}`;
  const facts = [`upstream ${endpoint.upstream}`, `methods ${endpoint.methods.join(", ")}`];
  const inject = Object.entries(endpoint.headers.inject).sort(([a], [b]) => (a < b ? -1 : 1));
  if (inject.length) facts.push(`injects ${inject.map(([name, value]) => `${code(name)} from ${describeSource(value)}`).join(", ")}`);
  if (endpoint.connection !== undefined) facts.push(`OAuth connection ${code(endpoint.connection)}`);
  if (!endpoint.rateLimit) facts.push("no rate limit");
  if (endpoint.cors) facts.push(`browser pages from ${endpoint.cors.origins.includes("*") ? "any origin" : joinWords(endpoint.cors.origins.map(code))} (CORS)`);
  return [
    { effect: "widening", kind: "endpoint", subject, text: `endpoint ${s} was added (${facts.join("; ")})` },
    ...endpoint.unsafeAllowPrivateNetworks.map(
      (cidr): Change => ({ effect: "widening", kind: "private-network", subject, text: allowanceAdded(endpoint.slug, cidr), alert: true }),
    ),
  ];
}

/** An endpoint that exists only at base. */
export function describeRemovedEndpoint(endpoint: Endpoint): Change[] {
  const subject = `endpoint:${endpoint.slug}`;
  return [
    { effect: "narrowing", kind: "endpoint", subject, text: `endpoint ${code(endpoint.slug)} was removed` },
    ...endpoint.unsafeAllowPrivateNetworks.map(
      (cidr): Change => ({ effect: "narrowing", kind: "private-network", subject, text: allowanceRemoved(endpoint.slug, cidr), alert: true }),
    ),
  ];
}

/** Why a timeout change moves the endpoint's client URL (it crosses the API Gateway door's limit), or null. */
function doorMove(before: Endpoint, after: Endpoint): string | null {
  const was = needsStreamingDoor(before);
  const now = needsStreamingDoor(after);
  if (was === now) return null;
  return now
    ? `above ${API_DOOR_MAX_TIMEOUT_SECONDS} s it moves from the API Gateway URL to the streaming Function URL, so its client URL changes (the old URL answers 421 with the new one)`
    : `at ${API_DOOR_MAX_TIMEOUT_SECONDS} s or less it moves from the streaming Function URL to the API Gateway URL, so its client URL changes`;
}

function allowanceAdded(slug: string, cidr: string): string {
  return `${code(slug)} may now reach private network ${code(cidr)} (unsafeAllowPrivateNetworks)`;
}

function allowanceRemoved(slug: string, cidr: string): string {
  return `${code(slug)} may no longer reach private network ${code(cidr)} (unsafeAllowPrivateNetworks)`;
}
