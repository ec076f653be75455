import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gatewayIdFromName } from "../schema/gateway-id.ts";

/** The file in a data folder mapping gateway names to ids, written by `gatehouse dev`. */
export const GATEWAYS_FILE = "gateways.json";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records `{ name: id }` of the gateways being served in `<dataDir>/gateways.json`, merged with
 * what is there, so `--gateway <name>` finds gateways whose definition sets its own `id`.
 * Written to a temporary file and renamed, so a reader never sees half a file.
 */
export async function recordGateways(dataDir: string, gateways: ReadonlyArray<{ name: string; id: string }>): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const names = { ...(await readGatewayNames(dataDir)) };
  for (const g of gateways) names[g.name] = g.id;
  const file = join(dataDir, GATEWAYS_FILE);
  // 0600 like everything in the data folder: gateway ids are not secret, but the folder is private.
  await writeFile(`${file}.tmp`, `${JSON.stringify(names, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** The names recorded in `<dataDir>/gateways.json` (empty when there is none). */
export async function readGatewayNames(dataDir: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, GATEWAYS_FILE), "utf8")) as unknown;
    if (!parsed || typeof parsed !== "object") return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/**
 * A gateway id from what a user typed: a UUID as it is, a name recorded in gateways.json, else
 * the id a definition without its own `id` gets (`gatewayIdFromName`).
 */
export async function resolveGatewayId(dataDir: string, nameOrId: string): Promise<{ id: string; name: string | null }> {
  if (UUID.test(nameOrId)) {
    const names = await readGatewayNames(dataDir);
    const name = Object.entries(names).find(([, id]) => id.toLowerCase() === nameOrId.toLowerCase())?.[0] ?? null;
    return { id: nameOrId.toLowerCase(), name };
  }
  const names = await readGatewayNames(dataDir);
  return { id: names[nameOrId] ?? gatewayIdFromName(nameOrId), name: nameOrId };
}
