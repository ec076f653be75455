import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { LOCAL_CREDENTIALS } from "../functions/adapters/aws/local-credentials.ts";
import { tableNames, TABLES, type TableKey, type TableNames } from "../functions/contracts/tables.ts";
import { DEFAULT_DATA_DIR, type StoreTarget } from "../functions/front-doors/node/wire-stores.ts";
import type { KnownGateway } from "./gateway-names.ts";
import { UsageError, type CliIo } from "./io.ts";

/**
 * The flags every store-using command takes. Without any AWS flag the command opens the SQLite
 * store of the local data folder (`<data>/gatehouse.db`) directly, beside a running
 * `gatehouse dev` or `serve` (SQLite's locking keeps them apart). With `--region`,
 * `--endpoint-url`, `--stack-outputs` or a table flag it uses DynamoDB. A stack-outputs file is
 * what `pulumi stack output --json` writes (see {@link StackOutputsFile}); table flags override
 * it, and missing names come from `--table-prefix`
 * (default `gatehouse`).
 */
export const STORE_OPTIONS = {
  data: { type: "string" },
  region: { type: "string" },
  "endpoint-url": { type: "string" },
  "stack-outputs": { type: "string" },
  "table-prefix": { type: "string" },
  "tokens-table": { type: "string" },
  "audit-table": { type: "string" },
  "rate-limits-table": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** The help text of {@link STORE_OPTIONS}. */
export const STORE_USAGE =
  "[--data <dir>] [--region <r>] [--endpoint-url <url>] [--stack-outputs <file.json>] [--table-prefix <p>] [--tokens-table <t>] [--audit-table <t>]";

/** The values of {@link STORE_OPTIONS} as parsed. */
export type StoreValues = { [K in keyof typeof STORE_OPTIONS]?: string | undefined };

/** The data folder the flags name (absolute). */
export function dataDirOf(values: StoreValues, io: CliIo): string {
  return resolve(io.cwd, values.data ?? DEFAULT_DATA_DIR);
}

/**
 * Where the flags say the stores are. `gateway` (a name or UUID) chooses among the gateways of a
 * `pulumi stack output --json` file, each of which has its own tables; it may be left out when the
 * file holds one gateway.
 */
export async function storeTargetOf(values: StoreValues, io: CliIo, gateway?: string): Promise<StoreTarget> {
  const aws =
    values.region !== undefined ||
    values["endpoint-url"] !== undefined ||
    values["stack-outputs"] !== undefined ||
    values["table-prefix"] !== undefined ||
    values["tokens-table"] !== undefined ||
    values["audit-table"] !== undefined ||
    values["rate-limits-table"] !== undefined;
  if (!aws) return { kind: "local", dataDir: dataDirOf(values, io) };

  const outputs = await readStackOutputsArg(values, io);
  const chosen = outputs ? chooseGateway(outputs, values["stack-outputs"]!, gateway) : { tables: {} };
  const tables: TableNames = { ...tableNames(values["table-prefix"]), ...chosen.tables };
  if (values["tokens-table"]) tables.tokens = values["tokens-table"];
  if (values["audit-table"]) tables.audit = values["audit-table"];
  if (values["rate-limits-table"]) tables.rateLimits = values["rate-limits-table"];

  const endpoint = values["endpoint-url"];
  const loopback = endpoint !== undefined && isLoopback(endpoint);
  const region = values.region ?? chosen.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? (loopback ? "us-east-1" : undefined);
  if (!region) throw new UsageError('say which AWS region: --region, "region" in --stack-outputs, or AWS_REGION');
  // A loopback DynamoDB-compatible store checks no signature: dummy credentials, so the SDK never
  // goes looking for real ones (or asks an instance metadata service).
  const credentials = loopback && !io.env.AWS_ACCESS_KEY_ID ? { credentials: { ...LOCAL_CREDENTIALS } } : {};
  return { kind: "aws", region, tables, ...(endpoint ? { endpoint } : {}), ...credentials };
}

/** One gateway of a stack-outputs file: what the CLI needs to reach its stores. */
export interface OutputGateway extends KnownGateway {
  region?: string;
  tables: Partial<TableNames>;
}

/**
 * A stack-outputs file. Either what `pulumi stack output --json` writes for the Gatehouse program
 * (`{ "gateways": { "<name>": { id, region, endpoints, tables, … } } }`, see
 * `infra/gateway-outputs.ts`), then `gateways` lists them; or the older hand-written
 * `{ region?, tables }`, then `gateways` is null.
 */
export interface StackOutputsFile {
  gateways: OutputGateway[] | null;
  region?: string;
  tables: Partial<TableNames>;
}

/** The `--stack-outputs` file the flags name, read; null without the flag. */
export async function readStackOutputsArg(values: StoreValues, io: CliIo): Promise<StackOutputsFile | null> {
  const file = values["stack-outputs"];
  return file === undefined ? null : readStackOutputs(resolve(io.cwd, file), file);
}

/** Reads a stack-outputs file (see {@link StackOutputsFile}); `shown` is the name used in messages. */
export async function readStackOutputs(file: string, shown: string = file): Promise<StackOutputsFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : error instanceof SyntaxError ? "not valid JSON" : "cannot be read";
    throw new UsageError(`--stack-outputs ${shown}: ${why}; write it with: pulumi stack output --json > ${shown}`);
  }
  const object = (parsed && typeof parsed === "object" ? parsed : {}) as { region?: unknown; tables?: unknown; gateways?: unknown };
  if (object.gateways && typeof object.gateways === "object") {
    const gateways: OutputGateway[] = [];
    for (const [name, value] of Object.entries(object.gateways as Record<string, unknown>)) {
      const g = (value ?? {}) as { id?: unknown; region?: unknown; tables?: unknown; endpoints?: unknown };
      if (typeof g.id !== "string")
        throw new UsageError(`--stack-outputs ${shown}: gateways.${name} has no "id"; write the file with: pulumi stack output --json > ${shown}`);
      gateways.push({
        name,
        id: g.id,
        ...(typeof g.region === "string" ? { region: g.region } : {}),
        tables: tablesOf(g.tables),
        endpoints: g.endpoints && typeof g.endpoints === "object" ? Object.keys(g.endpoints).sort() : null,
        connections: null,
      });
    }
    return { gateways, tables: {} };
  }
  if (!object.tables || typeof object.tables !== "object") {
    throw new UsageError(
      `--stack-outputs ${shown} has neither "gateways" (what \`pulumi stack output --json > ${shown}\` writes for the Gatehouse program) nor "tables"`,
    );
  }
  return { gateways: null, ...(typeof object.region === "string" ? { region: object.region } : {}), tables: tablesOf(object.tables) };
}

/** The region and tables of the gateway the command is about. */
function chooseGateway(outputs: StackOutputsFile, shown: string, gateway: string | undefined): { region?: string; tables: Partial<TableNames> } {
  if (outputs.gateways === null) return outputs;
  const names = outputs.gateways.map((g) => g.name).join(", ");
  if (gateway === undefined) {
    if (outputs.gateways.length === 1) return outputs.gateways[0]!;
    throw new UsageError(`--stack-outputs ${shown} holds ${outputs.gateways.length ? `gateways ${names}` : "no gateways"}; say which with --gateway <name>`);
  }
  const found = outputs.gateways.find((g) => g.name === gateway || g.id.toLowerCase() === gateway.toLowerCase());
  if (!found) throw new UsageError(`no gateway '${gateway}' in --stack-outputs ${shown}; gateways: ${names || "none"}`);
  return found;
}

function tablesOf(value: unknown): Partial<TableNames> {
  const tables: Partial<TableNames> = {};
  if (!value || typeof value !== "object") return tables;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const name = (value as Record<string, unknown>)[key];
    if (typeof name === "string" && name) tables[key] = name;
  }
  return tables;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    throw new UsageError(`--endpoint-url ${endpoint} is not a URL`);
  }
}
