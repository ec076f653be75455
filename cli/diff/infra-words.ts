import type { InfraFlag, InfraSummary, InputChange } from "./infra-change.ts";

/** Values longer than this are cut in the text and markdown forms (JSON keeps them whole). */
const MAX_VALUE_CHARS = 200;

/** What each flag is called in output. */
export const FLAG_LABEL: Record<InfraFlag, string> = { "permissions-widened": "permissions widened", "protection-lost": "protection lost" };

/** Said once above the infra section: where the numbers come from and why ARNs look fake. */
export const SHADOW_PLAN_EXPLAINED = "shadow plan: the Pulumi program under mocks at both revisions; ARNs, ids and URLs are placeholders";

/** `aws:dynamodb/table:Table` → `dynamodb.Table`, as `gatehouse plan` writes it. */
export function shortType(type: string): string {
  const m = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return m ? `${m[1]}.${m[2]}` : type;
}

/**
 * One masked value for people: JSON, cut when long, `(none)` when absent. A string holding a JSON
 * object or list (environment variables, documents) is shown as that JSON, not re-escaped.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = holdsJson(value) ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** One input change as a line: its sentence when it has one, else `path: before → after`. */
export function describeInputChange(change: InputChange, quote: (value: string) => string = (v) => v): string {
  if (change.text !== undefined) return change.text;
  const value = (v: unknown) => (v === undefined ? "(none)" : quote(formatValue(v)));
  return `${quote(change.path)}: ${value(change.before)} → ${value(change.after)}`;
}

/** "3 to create, 1 to update, 0 to delete, 26 unchanged; 1 widens permissions, none loses table protection". */
export function describeInfraSummary(summary: InfraSummary): string {
  const flag = (n: number, verb: string) => `${n === 0 ? "none" : n} ${verb}`;
  return (
    `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ${summary.unchanged} unchanged; ` +
    `${flag(summary.permissionsWidened, "widens permissions")}, ${flag(summary.protectionLost, "loses table protection")}`
  );
}

function holdsJson(value: unknown): value is string {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
