import { once } from "node:events";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { validateAllowance } from "../schema/ssrf/index.ts";
import { LocalSecretBox } from "../functions/adapters/local/local-secret-box.ts";
import { SealedSecretsFile } from "../functions/adapters/local/sealed-secrets-file.ts";
import { createNodeServer, type AccessLine, type NodeFrontDoor } from "../functions/front-doors/node/node-server.ts";
import type { LocalGateway } from "../functions/front-doors/node/wire-local.ts";
import type { AuditSink } from "../functions/ports/audit-sink.ts";
import type { Gateway } from "../schema/gateway.ts";
import { loadDefinitionFile } from "../loader/load-definition-file.ts";
import { requireFiles } from "./require-files.ts";
import { UsageError, type CliIo } from "./io.ts";

/** The flags `gatehouse dev` and `gatehouse serve` share (each adds its own `--data`). */
export const SERVER_OPTIONS = {
  port: { type: "string", default: "8787" },
  host: { type: "string", default: "127.0.0.1" },
  "unsafe-allow-private": { type: "string", multiple: true, default: [] },
  "secrets-file": { type: "string" },
  "token-cache-seconds": { type: "string", default: "10" },
  "max-connections": { type: "string", default: "1024" },
  metrics: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** {@link SERVER_OPTIONS}, checked. */
export interface ServerFlags {
  port: number;
  host: string;
  tokenCacheSeconds: number;
  /** Most open client connections; new ones past it are closed at once. */
  maxConnections: number;
  unsafeAllowPrivate: string[];
  /** Where `--metrics` serves Prometheus text, or null. */
  metrics: { host: string; port: number } | null;
}

/** Checks the shared flags; a bad one is a {@link UsageError}. */
export function checkServerFlags(values: {
  port: string;
  host: string;
  "token-cache-seconds": string;
  "max-connections": string;
  "unsafe-allow-private": string[];
  metrics?: string | undefined;
}): ServerFlags {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got '${values.port}'`);
  const tokenCacheSeconds = Number(values["token-cache-seconds"]);
  if (!Number.isFinite(tokenCacheSeconds) || tokenCacheSeconds < 0) throw new UsageError("--token-cache-seconds must be 0 or more");
  const maxConnections = Number(values["max-connections"]);
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new UsageError(`--max-connections must be a whole number, 1 or more, got '${values["max-connections"]}'`);
  for (const cidr of values["unsafe-allow-private"]) {
    const problem = validateAllowance(cidr);
    if (problem) throw new UsageError(`--unsafe-allow-private ${cidr}: ${problem}`);
  }
  const metrics = values.metrics === undefined ? null : hostPort(values.metrics, "--metrics");
  if (metrics && metrics.port !== 0 && metrics.port === port && metrics.host === values.host) {
    throw new UsageError("--metrics must be another port than the gateway's: metrics are never served on the gateway's port");
  }
  return { port, host: values.host, tokenCacheSeconds, maxConnections, unsafeAllowPrivate: values["unsafe-allow-private"], metrics };
}

/** `127.0.0.1:9464`, `[::1]:9464` or `localhost:0`, checked. */
function hostPort(text: string, flag: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) throw new UsageError(`${flag} takes <host>:<port> (for example 127.0.0.1:9464), not '${text}'`);
  return { host: (match[1] ?? match[2])!, port };
}

/** The `--metrics` listener and the audit decorator that feeds it. */
export interface LocalMetrics {
  wrapAudit: (sink: AuditSink) => AuditSink;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the `--metrics` listener (prom-client is loaded only then), or answers null without
 * the flag. A port in use is a usage error naming the flag.
 */
export async function startLocalMetrics(flags: ServerFlags): Promise<LocalMetrics | null> {
  if (!flags.metrics) return null;
  const { createPrometheusMetrics } = await import("../functions/adapters/metrics/prometheus-metrics.ts");
  const { startMetricsServer } = await import("../functions/front-doors/node/metrics-server.ts");
  const metrics = createPrometheusMetrics();
  const server = await startMetricsServer(metrics, flags.metrics.host, flags.metrics.port).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") throw new UsageError(`--metrics ${flags.metrics!.host}:${flags.metrics!.port} is already in use`);
    throw error;
  });
  return { wrapAudit: (sink) => metrics.wrap(sink), url: server.url, close: () => server.close() };
}

/** Secret values by precedence: the environment, then `--secrets-file`, then values stored with `gatehouse secrets set`. */
export async function secretValuesFor(dataDir: string, secretsFile: string | undefined, env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  return { ...(await storedSecrets(dataDir)), ...(await readSecretsFile(secretsFile)), ...env };
}

/**
 * Loads the one definition file `dev` or `serve` runs. Its problems go to stderr, each with its
 * path, and the answer is null: nothing is started.
 */
export async function loadServedFile(file: string, io: CliIo): Promise<Gateway[] | null> {
  const loaded = await loadServedFileWithInputs(file, io);
  return loaded ? loaded.gateways : null;
}

/** {@link loadServedFile}, with the local files the definition was bundled from (what `dev --watch` watches). */
export async function loadServedFileWithInputs(file: string, io: CliIo): Promise<{ gateways: Gateway[]; inputs: string[] } | null> {
  await requireFiles([file], io.cwd);
  const loaded = await loadDefinitionFile(file, io.cwd);
  if (loaded.ok) return { gateways: loaded.gateways, inputs: loaded.inputs };
  io.err(`✗ ${file}: ${loaded.issues.length} problem(s); nothing was started`);
  for (const issue of loaded.issues) io.err(`  ${file}: ${issue.path || "(file)"}: ${issue.message}`);
  return null;
}

/** A listening front door and the base URL it answers on. */
export interface ListeningGateway {
  door: NodeFrontDoor;
  base: string;
}

/**
 * Puts the wired gateway on `host:port`. A port in use closes the gateway and answers `null`
 * (the caller says so in its own words); any other listen error is thrown.
 */
export async function listenGateway(local: LocalGateway, flags: ServerFlags, onAccess: (line: AccessLine) => void): Promise<ListeningGateway | null> {
  const door = createNodeServer(local.engine, {
    onAccess,
    maxConnections: flags.maxConnections,
    gatherEnds: local.stores.audit.resolvesPerTurn !== true,
  });
  door.server.listen(flags.port, flags.host);
  try {
    await once(door.server, "listening");
  } catch (error) {
    await local.close();
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return null;
  }
  const address = door.server.address();
  const port = typeof address === "object" && address ? address.port : flags.port;
  return { door, base: `http://${flags.host.includes(":") ? `[${flags.host}]` : flags.host}:${port}` };
}

/** The first SIGINT or SIGTERM, by name. */
export function nextStopSignal(): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const on = (signal: "SIGINT" | "SIGTERM") => () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(signal);
    };
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
  });
}

/** Values stored sealed by `gatehouse secrets set`; nothing (and nothing created) when there are none. */
async function storedSecrets(dataDir: string): Promise<Record<string, string>> {
  const path = join(dataDir, "secrets.json");
  if (!existsSync(path)) return {};
  return new SealedSecretsFile(path, await LocalSecretBox.fromKeyFile(join(dataDir, "keyring.key"))).openAll();
}

async function readSecretsFile(path: string | undefined): Promise<Record<string, string>> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--secrets-file ${path}: ${error instanceof SyntaxError ? "not valid JSON" : "cannot be read"}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
    throw new UsageError(`--secrets-file ${path}: must be a JSON object of NAME: "value"`);
  }
  return parsed as Record<string, string>;
}
