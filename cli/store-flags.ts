import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { LOCAL_CREDENTIALS } from "../functions/adapters/aws/dynamo-client.ts";
import { tableNames, TABLES, type TableKey, type TableNames } from "../functions/contracts/tables.ts";
import { DEFAULT_DATA_DIR, type StoreTarget } from "../functions/front-doors/node/wire-stores.ts";
import { UsageError, type CliIo } from "./io.ts";
import { errorMessage } from "../schema/error-message.ts";

/**
 * The flags every store-using command takes. Without any AWS flag the command opens the SQLite
 * store of the local data folder (`<data>/gatehouse.db`) directly, beside a running
 * `gatehouse dev` or `serve` (SQLite's locking keeps them apart). With `--region`,
 * `--endpoint-url`, `--stack-outputs` or a table flag it uses DynamoDB. A stack-outputs file looks like
 * `{ "region": "eu-west-1", "tables": { "tokens": "…", "rateLimits": "…", "audit": "…", "connections": "…" } }`
 * (`region` optional); table flags override it, and missing names come from `--table-prefix`
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

type StoreValues = { [K in keyof typeof STORE_OPTIONS]?: string | undefined };

/** The data folder the flags name (absolute). */
export function dataDirOf(values: StoreValues, io: CliIo): string {
  return resolve(io.cwd, values.data ?? DEFAULT_DATA_DIR);
}

/** Where the flags say the stores are. */
export async function storeTargetOf(values: StoreValues, io: CliIo): Promise<StoreTarget> {
  const aws =
    values.region !== undefined ||
    values["endpoint-url"] !== undefined ||
    values["stack-outputs"] !== undefined ||
    values["table-prefix"] !== undefined ||
    values["tokens-table"] !== undefined ||
    values["audit-table"] !== undefined ||
    values["rate-limits-table"] !== undefined;
  if (!aws) return { kind: "local", dataDir: dataDirOf(values, io) };

  const outputs = values["stack-outputs"] ? await readStackOutputs(resolve(io.cwd, values["stack-outputs"])) : { tables: {} };
  const tables: TableNames = { ...tableNames(values["table-prefix"]), ...outputs.tables };
  if (values["tokens-table"]) tables.tokens = values["tokens-table"];
  if (values["audit-table"]) tables.audit = values["audit-table"];
  if (values["rate-limits-table"]) tables.rateLimits = values["rate-limits-table"];

  const endpoint = values["endpoint-url"];
  const loopback = endpoint !== undefined && isLoopback(endpoint);
  const region = values.region ?? outputs.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? (loopback ? "us-east-1" : undefined);
  if (!region) throw new UsageError("say which AWS region: --region, \"region\" in --stack-outputs, or AWS_REGION");
  // A loopback DynamoDB-compatible store checks no signature: dummy credentials, so the SDK never
  // goes looking for real ones (or asks an instance metadata service).
  const credentials = loopback && !io.env.AWS_ACCESS_KEY_ID ? { credentials: { ...LOCAL_CREDENTIALS } } : {};
  return { kind: "aws", region, tables, ...(endpoint ? { endpoint } : {}), ...credentials };
}

/** Reads a stack-outputs file: `{ region?, tables: { tokens?, rateLimits?, audit?, connections? } }`. */
export async function readStackOutputs(file: string): Promise<{ region?: string; tables: Partial<TableNames> }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read --stack-outputs ${file}: ${errorMessage(error)}`);
  }
  const object = (parsed ?? {}) as { region?: unknown; tables?: unknown };
  if (!object.tables || typeof object.tables !== "object") {
    throw new UsageError(`--stack-outputs ${file} has no "tables" object (expected { "tables": { "tokens": "…", "audit": "…" } })`);
  }
  const tables: Partial<TableNames> = {};
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const value = (object.tables as Record<string, unknown>)[key];
    if (typeof value === "string" && value) tables[key] = value;
  }
  return { ...(typeof object.region === "string" ? { region: object.region } : {}), tables };
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    throw new UsageError(`--endpoint-url ${endpoint} is not a URL`);
  }
}
