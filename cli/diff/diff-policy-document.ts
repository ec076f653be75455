import type { InputChange } from "./infra-change.ts";
import { code } from "./words.ts";

interface Statement {
  key: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  principal: string;
  condition: string;
}

/**
 * Compares two IAM policy documents (JSON text) statement by statement, matched by `Sid` (by
 * position when a statement has none), so one statement inserted in the middle reads as one
 * added statement rather than every later one changed. Flags `permissions-widened` on an added
 * Allow statement, added actions or resources, and a removed condition. Returns null when either
 * side is not a policy document (the caller then compares the text as it is).
 */
export function diffPolicyDocument(path: string, before: unknown, after: unknown): InputChange[] | null {
  const was = before === undefined ? [] : statementsOf(before);
  const now = after === undefined ? [] : statementsOf(after);
  if (was === null || now === null) return null;
  const old = new Map(was.map((s) => [s.key, s]));
  const changes: InputChange[] = [];
  for (const s of now) {
    const b = old.get(s.key);
    old.delete(s.key);
    const at = `${path}.Statement[${s.key}]`;
    if (!b) {
      changes.push({
        path: at,
        text: `statement ${code(s.key)} added: ${describeStatement(s)}`,
        ...(s.effect === "Allow" ? { flag: "permissions-widened" as const } : {}),
      });
      continue;
    }
    changes.push(...compareStatements(at, b, s));
  }
  for (const s of old.values()) changes.push({ path: `${path}.Statement[${s.key}]`, text: `statement ${code(s.key)} removed: ${describeStatement(s)}` });
  return changes;
}

/** One line per statement of a whole document (a policy created or deleted), flagged when it allows. */
export function describePolicyDocument(path: string, document: unknown, widens: boolean): InputChange[] | null {
  const statements = statementsOf(document);
  if (statements === null) return null;
  return statements.map((s) => ({
    path: `${path}.Statement[${s.key}]`,
    text: `statement ${code(s.key)}: ${describeStatement(s)}`,
    ...(widens && s.effect === "Allow" ? { flag: "permissions-widened" as const } : {}),
  }));
}

function compareStatements(at: string, b: Statement, a: Statement): InputChange[] {
  const changes: InputChange[] = [];
  const allows = a.effect === "Allow";
  if (b.effect !== a.effect)
    changes.push({ path: `${at}.Effect`, before: b.effect, after: a.effect, ...(allows ? { flag: "permissions-widened" as const } : {}) });
  const lists: Array<[string, keyof Statement, string, boolean]> = [
    // [label, field, path suffix, does an addition widen an Allow?]
    ["actions", "actions", "Action", true],
    ["resources", "resources", "Resource", true],
    ["excluded actions (NotAction)", "notActions", "NotAction", false],
    ["excluded resources (NotResource)", "notResources", "NotResource", false],
  ];
  for (const [label, field, suffix, addWidens] of lists) {
    const was = b[field] as string[];
    const now = a[field] as string[];
    const added = now.filter((x) => !was.includes(x));
    const removed = was.filter((x) => !now.includes(x));
    // Fewer exclusions widen an Allow as surely as more inclusions do.
    if (added.length)
      changes.push({
        path: `${at}.${suffix}`,
        text: `statement ${code(a.key)}: ${label} added: ${list(added)}`,
        ...(allows && addWidens ? { flag: "permissions-widened" as const } : {}),
      });
    if (removed.length)
      changes.push({
        path: `${at}.${suffix}`,
        text: `statement ${code(a.key)}: ${label} removed: ${list(removed)}`,
        ...(allows && !addWidens ? { flag: "permissions-widened" as const } : {}),
      });
  }
  if (b.principal !== a.principal) changes.push({ path: `${at}.Principal`, before: parse(b.principal), after: parse(a.principal) });
  if (b.condition !== a.condition) {
    const removed = a.condition === "" ? { flag: "permissions-widened" as const } : {};
    changes.push({ path: `${at}.Condition`, before: parse(b.condition), after: parse(a.condition), ...(allows ? removed : {}) });
  }
  return changes;
}

function describeStatement(s: Statement): string {
  const parts = [
    s.effect === "Allow" ? "" : `${s.effect} `,
    s.actions.length ? list(s.actions) : `everything but ${list(s.notActions)}`,
    " on ",
    s.resources.length ? list(s.resources) : s.notResources.length ? `everything but ${list(s.notResources)}` : "(no resource)",
    s.principal ? ` for ${code(s.principal)}` : "",
    s.condition ? ` when ${code(s.condition)}` : "",
  ];
  return parts.join("");
}

function statementsOf(document: unknown): Statement[] | null {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const raw = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : null;
  if (list === null) return null;
  const keys = new Set<string>();
  return list.map((entry, index) => {
    const s = (entry ?? {}) as Record<string, unknown>;
    let key = typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : `#${index + 1}`;
    while (keys.has(key)) key = `${key}'`;
    keys.add(key);
    return {
      key,
      effect: typeof s.Effect === "string" ? s.Effect : "Allow",
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      notResources: strings(s.NotResource),
      principal: s.Principal === undefined ? "" : JSON.stringify(s.Principal),
      condition: s.Condition === undefined ? "" : JSON.stringify(sortKeys(s.Condition)),
    };
  });
}

/** Actions and ARNs as code: they hold `*`, which markdown would otherwise read as emphasis. */
const list = (items: string[]): string => items.map(code).join(", ");
const strings = (value: unknown): string[] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String));
const parse = (json: string): unknown => (json === "" ? undefined : (JSON.parse(json) as unknown));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
