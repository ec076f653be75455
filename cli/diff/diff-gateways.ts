import type { Gateway } from "../../schema/gateway.ts";
import { canonicalJson } from "../../schema/revision.ts";
import type { Change, GatewayDiff } from "./change.ts";
import { describeConnectionPresence, diffConnection } from "./diff-connection.ts";
import { describeAddedEndpoint, describeRemovedEndpoint, diffEndpoint } from "./diff-endpoint.ts";
import { code, joinWords } from "./words.ts";

const sortedKeys = (...records: Array<Record<string, unknown>>) => [...new Set(records.flatMap((r) => Object.keys(r)))].sort();

/** Where each gateway came from, by name, at each side (repository-relative files). */
export interface GatewayOrigins {
  before: ReadonlyMap<string, string>;
  after: ReadonlyMap<string, string>;
}

/**
 * Compares validated gateways by name: the resolved objects, not the source text, so moving a
 * value into `defaults`, reordering keys or lists, or moving a gateway to another file shows
 * nothing. Gateways without changes are left out. `revision` is a hash of the rest and is skipped.
 * A renamed gateway (see {@link findRenames}) is compared with its old self under its new name,
 * and the rename is called out as breaking: Pulumi names its resources after it.
 */
export function diffGateways(before: Gateway[], after: Gateway[], origins?: GatewayOrigins): GatewayDiff[] {
  const was = new Map(before.map((g) => [g.name, g]));
  const now = new Map(after.map((g) => [g.name, g]));
  const renames = findRenames(was, now, origins);
  for (const from of renames.values()) was.delete(from);
  const diffs: GatewayDiff[] = [];
  for (const name of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const from = renames.get(name);
    const old = from === undefined ? was.get(name) : before.find((g) => g.name === from);
    const changes = diffGateway(old, now.get(name));
    if (from !== undefined) {
      changes.unshift({
        effect: "neutral",
        kind: "gateway-name",
        subject: "gateway",
        text: `gateway ${code(from)} was renamed to ${code(name)}: Pulumi names its AWS resources after the gateway, so they are created anew (a new API URL, new and empty tables) and every client URL changes`,
        alert: true,
        breaking: true,
      });
    }
    if (changes.length) diffs.push({ name, changes });
  }
  return diffs;
}

/**
 * Gateways that were renamed, new name to old: a name gone at head and a new name at head with
 * the same id (a definition that sets its own `id`), or else the only gateway of one file at both
 * sides (the usual edit of `name` in place).
 */
function findRenames(was: Map<string, Gateway>, now: Map<string, Gateway>, origins: GatewayOrigins | undefined): Map<string, string> {
  const gone = [...was.values()].filter((g) => !now.has(g.name));
  const added = [...now.values()].filter((g) => !was.has(g.name));
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const g of added) {
    const old = gone.find((o) => o.id === g.id && !taken.has(o.name));
    if (!old) continue;
    renames.set(g.name, old.name);
    taken.add(old.name);
  }
  if (!origins) return renames;
  const only = (files: ReadonlyMap<string, string>, file: string) => [...files.values()].filter((f) => f === file).length === 1;
  for (const g of added) {
    if (renames.has(g.name)) continue;
    const file = origins.after.get(g.name);
    const old = gone.find((o) => !taken.has(o.name) && file !== undefined && origins.before.get(o.name) === file);
    if (!old || !only(origins.after, file!) || !only(origins.before, file!)) continue;
    renames.set(g.name, old.name);
    taken.add(old.name);
  }
  return renames;
}

function diffGateway(before: Gateway | undefined, after: Gateway | undefined): Change[] {
  if (!before && !after) return [];
  if (!before) {
    const g = after!;
    const slugs = Object.keys(g.endpoints).sort();
    return [
      {
        effect: "widening",
        kind: "gateway",
        subject: "gateway",
        text: `gateway ${code(g.name)} was added (id ${g.id}; endpoints ${joinWords(slugs.map(code))})`,
      },
      ...Object.entries(g.connections)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, c]) => describeConnectionPresence(name, c, "added")),
      ...slugs.flatMap((slug) => describeAddedEndpoint(g.endpoints[slug]!)),
    ];
  }
  if (!after) {
    const slugs = Object.keys(before.endpoints).sort();
    return [
      {
        effect: "narrowing",
        kind: "gateway",
        subject: "gateway",
        text: `gateway ${code(before.name)} was removed (endpoints ${joinWords(slugs.map(code))} stop answering)`,
      },
      // Allowances are always called out, even when they leave with the whole gateway.
      ...slugs.flatMap((slug) => describeRemovedEndpoint(before.endpoints[slug]!).filter((c) => c.alert)),
    ];
  }
  const changes: Change[] = [];
  if (before.id !== after.id) {
    changes.push({
      effect: "neutral",
      kind: "gateway-id",
      subject: "gateway",
      text: `gateway id changed from ${before.id} to ${after.id}: every client URL of ${code(after.name)} changes`,
      alert: true,
      breaking: true,
    });
  }
  if ((before.description ?? "") !== (after.description ?? "")) {
    changes.push({ effect: "neutral", kind: "description", subject: "gateway", text: `description of gateway ${code(after.name)} changed` });
  }
  for (const name of sortedKeys(before.connections, after.connections)) {
    const from = before.connections[name];
    const to = after.connections[name];
    if (!from) changes.push(describeConnectionPresence(name, to!, "added"));
    else if (!to) changes.push(describeConnectionPresence(name, from, "removed"));
    else changes.push(...diffConnection(name, from, to));
  }
  for (const slug of sortedKeys(before.endpoints, after.endpoints)) {
    const from = before.endpoints[slug];
    const to = after.endpoints[slug];
    if (!from) changes.push(...describeAddedEndpoint(to!));
    else if (!to) changes.push(...describeRemovedEndpoint(from));
    else changes.push(...diffEndpoint(from, to));
  }
  const known = new Set(["name", "id", "description", "connections", "endpoints", "revision"]);
  for (const field of sortedKeys(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>)) {
    if (known.has(field)) continue;
    const a = (before as unknown as Record<string, unknown>)[field];
    const b = (after as unknown as Record<string, unknown>)[field];
    if (canonicalJson(a) !== canonicalJson(b))
      changes.push({ effect: "neutral", kind: "other", subject: "gateway", text: `field ${code(field)} of gateway ${code(after.name)} changed` });
  }
  return changes;
}
