import type { Connection } from "../../schema/connection.ts";
import { canonicalJson } from "../../schema/revision.ts";
import type { Change, Effect } from "./change.ts";
import { code, nounList, setDelta } from "./words.ts";

type Fields = Record<string, unknown>;

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** "github; scopes `repo`": what a connection is, for added and removed sentences. */
function describeConnection(connection: Connection): string {
  const scopes = list((connection as Fields).scopes);
  return scopes.length ? `${connection.provider}; ${nounList("scope", "scopes", scopes)}` : connection.provider;
}

/** An OAuth connection that exists only at head (widening) or only at base (narrowing). */
export function describeConnectionPresence(name: string, connection: Connection, present: "added" | "removed"): Change {
  return {
    effect: present === "added" ? "widening" : "narrowing",
    kind: "connection",
    subject: `connection:${name}`,
    text: `OAuth connection ${code(name)} was ${present} (${describeConnection(connection)})`,
  };
}

/**
 * Changes to one OAuth connection. More scopes, another client secret, a token or authorization
 * URL on another origin (the client secret and users' codes go there) and PKCE switched off all
 * widen; the reverse narrows; other settings (client id, tenant, token kind) are neutral and
 * shown with their public values. The client secret's value is never in the definition.
 */
export function diffConnection(name: string, before: Connection, after: Connection): Change[] {
  const subject = `connection:${name}`;
  const c = code(name);
  const changes: Change[] = [];
  const add = (effect: Effect, kind: string, text: string) => changes.push({ effect, kind, subject, text });
  if (before.provider !== after.provider) {
    add(
      "widening",
      "connection-provider",
      `OAuth connection ${c} changed provider from ${before.provider} to ${after.provider} (${describeConnection(after)})`,
    );
    return changes;
  }
  const was = before as Fields;
  const now = after as Fields;
  for (const [field, label] of [
    ["scopes", "scope"],
    ["userScopes", "user scope"],
  ] as const) {
    const delta = setDelta(list(was[field]), list(now[field]));
    if (delta.added.length) add("widening", "scopes", `OAuth connection ${c} now requests ${nounList(label, `${label}s`, delta.added)}`);
    if (delta.removed.length) add("narrowing", "scopes", `OAuth connection ${c} no longer requests ${nounList(label, `${label}s`, delta.removed)}`);
  }
  if (before.clientSecret.name !== after.clientSecret.name) {
    add(
      "widening",
      "client-secret",
      `client secret of OAuth connection ${c} now comes from secret ${code(after.clientSecret.name)} instead of ${code(before.clientSecret.name)}`,
    );
  }
  for (const field of ["authorizationUrl", "tokenUrl", "userinfoUrl"]) {
    const from = was[field];
    const to = now[field];
    if (from === to) continue;
    const otherOrigin = typeof from !== "string" || typeof to !== "string" || new URL(from).origin !== new URL(to).origin;
    add(otherOrigin ? "widening" : "neutral", "connection-url", `${field} of OAuth connection ${c} changed from ${from ?? "none"} to ${to ?? "none"}`);
  }
  if (was.pkce !== now.pkce && typeof now.pkce === "boolean") {
    add(now.pkce ? "narrowing" : "widening", "pkce", `OAuth connection ${c} ${now.pkce ? "now uses" : "no longer uses"} PKCE`);
  }
  const handled = new Set(["provider", "scopes", "userScopes", "clientSecret", "authorizationUrl", "tokenUrl", "userinfoUrl", "pkce"]);
  const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((f) => !handled.has(f)).sort();
  for (const field of fields) {
    if (canonicalJson(was[field]) === canonicalJson(now[field])) continue;
    add("neutral", "connection-setting", `${field} of OAuth connection ${c} changed from ${show(was[field])} to ${show(now[field])}`);
  }
  return changes;
}

function show(value: unknown): string {
  if (value === undefined) return "none";
  return code(typeof value === "string" ? value : canonicalJson(value));
}
