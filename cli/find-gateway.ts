import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isGatewayUuid, readRecordedGateways, type KnownGateway } from "./gateway-names.ts";
import { UsageError, type CliIo } from "./io.ts";
import { loadDefinitionFile } from "../loader/load-definition-file.ts";
import { dataDirOf, readStackOutputsArg, type StoreValues } from "./store-flags.ts";

/** The folder of definition files `gatehouse init` makes, looked in when a name is not recorded. */
export const DEFINITIONS_FOLDER = "gateways";

const DEFINITION_FILE = /^(?!.*\.d\.ts$).*\.(?:ts|mts|cts|js|mjs|cjs)$/;

/**
 * The gateway a user named (`--gateway`, or a positional): by name or UUID, from what the CLI can
 * know. With `--stack-outputs` (the `pulumi stack output --json` file), its `gateways`; otherwise
 * the data folder's gateways.json (written by `gatehouse dev`); then the definition files in
 * `./gateways/`, so a gateway's own `id` is used even where `dev` never ran. An unknown name is a
 * usage error listing the names that are known. A UUID no source knows is taken as it is, with
 * its endpoints and connections unknown.
 */
export async function findGateway(nameOrId: string, values: StoreValues, io: CliIo): Promise<FoundGateway> {
  const outputs = await readStackOutputsArg(values, io);
  const first = outputs?.gateways ?? (await readRecordedGateways(dataDirOf(values, io)));
  const match = (list: KnownGateway[]) =>
    isGatewayUuid(nameOrId) ? list.find((g) => g.id.toLowerCase() === nameOrId.toLowerCase()) : list.find((g) => g.name === nameOrId);
  const found = match(first);
  if (found) return found;
  const defined = await definedGateways(io.cwd);
  const fromDefinition = match(defined);
  if (fromDefinition) return fromDefinition;
  if (isGatewayUuid(nameOrId)) return { name: null, id: nameOrId.toLowerCase(), endpoints: null, connections: null };

  const where = outputs ? `the stack outputs ${values["stack-outputs"]}` : `${join(values.data ?? ".gatehouse", "gateways.json")} (written by gatehouse dev)`;
  const names = [...new Set([...first, ...defined].map((g) => g.name))].sort();
  if (names.length === 0) {
    throw new UsageError(
      `no gateway '${nameOrId}': none is recorded in ${where} and there are no definitions in ${DEFINITIONS_FOLDER}/; run gatehouse dev <file> first, or give the gateway's UUID`,
    );
  }
  throw new UsageError(`no gateway '${nameOrId}'; known gateways: ${names.join(", ")} (from ${where} and ${DEFINITIONS_FOLDER}/)`);
}

/** A gateway {@link findGateway} found; `name` is null for a UUID that no source knows. */
export type FoundGateway = Omit<KnownGateway, "name"> & { name: string | null };

/** Checks names against what a gateway has, when that is known; the error lists what exists. */
export function requireKnown(gateway: FoundGateway, kind: "endpoint" | "connection", names: readonly string[]): void {
  const known = kind === "endpoint" ? gateway.endpoints : gateway.connections;
  if (known === null) return;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length === 0) return;
  const list = known.length ? `${kind}s: ${known.join(", ")}` : `it has no ${kind}s`;
  throw new UsageError(
    `gateway '${gateway.name ?? gateway.id}' has no ${kind}${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `'${n}'`).join(", ")}; ${list}`,
  );
}

/** The valid gateways defined in `<cwd>/gateways/` (files that fail to load are skipped here; `validate` reports them). */
async function definedGateways(cwd: string): Promise<KnownGateway[]> {
  const dir = resolve(cwd, DEFINITIONS_FOLDER);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => DEFINITION_FILE.test(f)).sort();
  const out: KnownGateway[] = [];
  for (const file of files) {
    const loaded = await loadDefinitionFile(join(dir, file), cwd);
    if (!loaded.ok) continue;
    for (const g of loaded.gateways)
      out.push({ name: g.name, id: g.id, endpoints: Object.keys(g.endpoints).sort(), connections: Object.keys(g.connections).sort() });
  }
  return out;
}
