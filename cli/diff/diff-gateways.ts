import type { Gateway } from "../../schema/gateway.ts";
import { canonicalJson } from "../../schema/revision.ts";
import type { Change, GatewayDiff } from "./change.ts";
import { describeConnectionPresence, diffConnection } from "./diff-connection.ts";
import { describeAddedEndpoint, describeRemovedEndpoint, diffEndpoint } from "./diff-endpoint.ts";
import { code, joinWords } from "./words.ts";

const sortedKeys = (...records: Array<Record<string, unknown>>) => [...new Set(records.flatMap((r) => Object.keys(r)))].sort();

/**
 * Compares validated gateways by name: the resolved objects, not the source text, so moving a
 * value into `defaults`, reordering keys or lists, or moving a gateway to another file shows
 * nothing. Gateways without changes are left out. `revision` is a hash of the rest and is skipped.
 */
export function diffGateways(before: Gateway[], after: Gateway[]): GatewayDiff[] {
  const was = new Map(before.map((g) => [g.name, g]));
  const now = new Map(after.map((g) => [g.name, g]));
  const diffs: GatewayDiff[] = [];
  for (const name of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const changes = diffGateway(was.get(name), now.get(name));
    if (changes.length) diffs.push({ name, changes });
  }
  return diffs;
}

function diffGateway(before: Gateway | undefined, after: Gateway | undefined): Change[] {
  if (!before && !after) return [];
  if (!before) {
    const g = after!;
    const slugs = Object.keys(g.endpoints).sort();
    return [
      { effect: "widening", kind: "gateway", subject: "gateway", text: `gateway ${code(g.name)} was added (id ${g.id}; endpoints ${joinWords(slugs.map(code))})` },
      ...Object.entries(g.connections).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, c]) => describeConnectionPresence(name, c, "added")),
      ...slugs.flatMap((slug) => describeAddedEndpoint(g.endpoints[slug]!)),
    ];
  }
  if (!after) {
    const slugs = Object.keys(before.endpoints).sort();
    return [
      { effect: "narrowing", kind: "gateway", subject: "gateway", text: `gateway ${code(before.name)} was removed (endpoints ${joinWords(slugs.map(code))} stop answering)` },
      // Allowances are always called out, even when they leave with the whole gateway.
      ...slugs.flatMap((slug) => describeRemovedEndpoint(before.endpoints[slug]!).filter((c) => c.alert)),
    ];
  }
  const changes: Change[] = [];
  if (before.id !== after.id) {
    changes.push({ effect: "neutral", kind: "gateway-id", subject: "gateway", text: `gateway id changed from ${before.id} to ${after.id}: every client URL of ${code(after.name)} changes`, alert: true });
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
    if (canonicalJson(a) !== canonicalJson(b)) changes.push({ effect: "neutral", kind: "other", subject: "gateway", text: `field ${code(field)} of gateway ${code(after.name)} changed` });
  }
  return changes;
}
