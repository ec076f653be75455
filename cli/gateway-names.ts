import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The file in a data folder describing the gateways served there, written by `gatehouse dev`. */
export const GATEWAYS_FILE = "gateways.json";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a gateway UUID as it appears in client URLs. */
export function isGatewayUuid(text: string): boolean {
  return UUID.test(text);
}

/** What the CLI knows of one gateway by name: its id, and (when known) its endpoints and connections. */
export interface KnownGateway {
  name: string;
  id: string;
  endpoints: string[] | null;
  connections: string[] | null;
}

/** A gateway as the record is made from (a validated definition has these fields). */
interface Recordable {
  name: string;
  id: string;
  endpoints?: Record<string, unknown>;
  connections?: Record<string, unknown>;
}

/**
 * Records the gateways being served in `<dataDir>/gateways.json` as
 * `{ "<name>": { "id": …, "endpoints": […], "connections": […] } }`, merged with what is there, so
 * `--gateway <name>` finds gateways whose definition sets its own `id` and the CLI can name the
 * endpoints and connections that exist. Written to a temporary file and renamed, so a reader never
 * sees half a file.
 */
export async function recordGateways(dataDir: string, gateways: ReadonlyArray<Recordable>): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const known = Object.fromEntries(
    (await readRecordedGateways(dataDir)).map((g) => [g.name, { id: g.id, endpoints: g.endpoints, connections: g.connections }]),
  );
  for (const g of gateways) {
    known[g.name] = {
      id: g.id,
      endpoints: g.endpoints ? Object.keys(g.endpoints).sort() : null,
      connections: g.connections ? Object.keys(g.connections).sort() : null,
    };
  }
  const file = join(dataDir, GATEWAYS_FILE);
  // 0600 like everything in the data folder: gateway ids are not secret, but the folder is private.
  await writeFile(`${file}.tmp`, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/**
 * The gateways recorded in `<dataDir>/gateways.json` (empty when there is none). Reads the older
 * `{ name: id }` form too. A file that is there but not a JSON object is an error naming it, not
 * an empty list: read as empty, it would be rewritten with only the gateways served now.
 */
export async function readRecordedGateways(dataDir: string): Promise<KnownGateway[]> {
  const file = join(dataDir, GATEWAYS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); fix its permissions`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file} is not valid JSON (damaged?): fix or delete it (gatehouse dev writes it again with the gateways it serves); nothing was changed`);
  }
  const out: KnownGateway[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === "string") out.push({ name, id: value, endpoints: null, connections: null });
    else if (value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string") {
      const v = value as { id: string; endpoints?: unknown; connections?: unknown };
      out.push({ name, id: v.id, endpoints: stringList(v.endpoints), connections: stringList(v.connections) });
    }
  }
  return out;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : null;
}
