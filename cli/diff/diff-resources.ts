import { DEFINITION_FILE } from "../../functions/contracts/lambda-contract.ts";
import { describeResource } from "../describe-resource.ts";
import { describePolicyDocument, diffPolicyDocument } from "./diff-policy-document.ts";
import type { InfraFlag, InputChange, ResourceChange, ShadowResource } from "./infra-change.ts";
import { lostTableProtections, TABLE_TYPE } from "./table-protection.ts";

/** Inputs holding IAM policy documents (JSON text), compared statement by statement. */
const POLICY_INPUTS: Record<string, readonly string[]> = {
  "aws:iam/rolePolicy:RolePolicy": ["policy"],
  "aws:iam/policy:Policy": ["policy"],
  "aws:iam/userPolicy:UserPolicy": ["policy"],
  "aws:iam/groupPolicy:GroupPolicy": ["policy"],
  "aws:iam/role:Role": ["assumeRolePolicy"],
};

/** The path of a change to one file of an archive input, e.g. `code[gateway.json]`. */
export function archiveFilePath(input: string, file: string): string {
  return `${input}[${file}]`;
}

/** What {@link diffResources} found: the changes, each with its gateway, and how many resources stayed as they were. */
export interface ResourceDiff {
  changes: Array<{ gateway: string | null; change: ResourceChange }>;
  unchanged: number;
}

/**
 * Compares two shadow plans resource by resource, matched by URN (type, parent types and
 * logical name: Pulumi's own identity, so a renamed gateway is a delete plus a create, as
 * `pulumi up` would do it). Inputs are compared leaf by leaf on their masked form; policy
 * documents statement by statement; tables are checked for lost protections; archives by the
 * digest of each file, never by the mock's placeholder. Output is sorted by logical name.
 */
export function diffResources(before: ShadowResource[], after: ShadowResource[]): ResourceDiff {
  const was = new Map(before.map((r) => [r.urn, r]));
  const changes: ResourceDiff["changes"] = [];
  let unchanged = 0;
  for (const r of after) {
    const b = was.get(r.urn);
    was.delete(r.urn);
    if (!b) {
      changes.push({ gateway: r.gateway, change: whole("create", r) });
      continue;
    }
    const inputs = diffInputs(r.type, b, r);
    if (inputs.length === 0) unchanged += 1;
    else changes.push({ gateway: r.gateway, change: { action: "update", type: r.type, name: r.name, inputs, flags: flagsOf(inputs) } });
  }
  for (const b of was.values()) changes.push({ gateway: b.gateway, change: whole("delete", b) });
  changes.sort((x, y) => compare(x.change.name, y.change.name) || compare(x.change.type, y.change.type));
  return { changes, unchanged };
}

/** A created or deleted resource: its key settings, and for a policy every statement. */
function whole(action: "create" | "delete", r: ShadowResource): ResourceChange {
  const settings = describeResource(r.type, r.inputs);
  const inputs: InputChange[] = [];
  // A permission policy's statements are listed (a new one widens what a role may do); a trust
  // policy's are not (who may assume a new role is not yet a permission anyone holds).
  if (POLICY_INPUTS[r.type]?.includes("policy")) inputs.push(...(describePolicyDocument("policy", r.inputs.policy, action === "create") ?? []));
  return { action, type: r.type, name: r.name, ...(settings ? { settings } : {}), inputs, flags: flagsOf(inputs) };
}

function diffInputs(type: string, b: ShadowResource, a: ShadowResource): InputChange[] {
  const policyInputs = POLICY_INPUTS[type] ?? [];
  const changes: InputChange[] = [];
  const plain = (inputs: Record<string, unknown>) => Object.fromEntries(Object.entries(inputs).filter(([k]) => !policyInputs.includes(k)));
  for (const input of policyInputs) {
    const policy = diffPolicyDocument(input, b.inputs[input], a.inputs[input]);
    if (policy) changes.push(...policy);
    else changes.push(...diffValues(input, b.inputs[input], a.inputs[input]));
  }
  changes.push(...diffValues("", plain(b.inputs), plain(a.inputs)));
  if (type === TABLE_TYPE) {
    const lost = lostTableProtections(b.inputs, a.inputs);
    const replaced = new Set(lost.map((c) => c.path));
    changes.splice(0, changes.length, ...changes.filter((c) => !replaced.has(c.path)), ...lost);
  }
  changes.push(...diffArchives(b.archives, a.archives));
  return changes;
}

/** Leaf-by-leaf differences; arrays of plain values are one leaf (shown whole). */
function diffValues(path: string, before: unknown, after: unknown): InputChange[] {
  const was = new Map<string, unknown>();
  const now = new Map<string, unknown>();
  if (before !== undefined) leaves(before, path, was);
  if (after !== undefined) leaves(after, path, now);
  const changes: InputChange[] = [];
  for (const key of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const b = was.get(key);
    const a = now.get(key);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes.push({ path: key, ...(was.has(key) ? { before: b } : {}), ...(now.has(key) ? { after: a } : {}) });
  }
  return changes;
}

function leaves(value: unknown, path: string, into: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((v) => v === null || typeof v !== "object")) into.set(path, value);
    else value.forEach((v, i) => leaves(v, `${path}[${i}]`, into));
    return;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0 && path !== "") into.set(path, {});
    for (const [k, v] of entries) leaves(v, join(path, k), into);
    return;
  }
  into.set(path, value);
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Which files of which archive changed, in words: the Lambda's archive is its bundle plus the definition. */
function diffArchives(before: Record<string, Record<string, string>>, after: Record<string, Record<string, string>>): InputChange[] {
  const changes: InputChange[] = [];
  for (const input of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = before[input] ?? {};
    const now = after[input] ?? {};
    for (const file of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      if (was[file] === now[file]) continue;
      const what = file === DEFINITION_FILE ? "bundled definition" : file === "index.mjs" ? "handler bundle" : file;
      const how = was[file] === undefined ? "added to" : now[file] === undefined ? "removed from" : "changed in";
      changes.push({ path: archiveFilePath(input, file), text: how === "changed in" ? `function code changed (${what})` : `${file} ${how} the function code` });
    }
  }
  return changes;
}

function flagsOf(inputs: InputChange[]): InfraFlag[] {
  return [...new Set(inputs.flatMap((c) => (c.flag ? [c.flag] : [])))];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
