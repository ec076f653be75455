import { openStores } from "../../functions/front-doors/node/wire-stores.ts";
import type { ConnectionRecord, ConnectionStore } from "../../functions/ports/connection-store.ts";
import { formatTable } from "../format-table.ts";
import { disconnect } from "./connections-disconnect.ts";
import { findGateway } from "../find-gateway.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { dataDirOf, STORE_OPTIONS, STORE_USAGE, storeTargetOf } from "../store-flags.ts";

/** The store flags plus the connections table override. */
export const CONNECTION_STORE_OPTIONS = { ...STORE_OPTIONS, "connections-table": { type: "string" } } as const;

type Values = { [K in keyof typeof CONNECTION_STORE_OPTIONS]?: string | undefined };

/**
 * Opens the ConnectionStore the flags name: the local data folder's SQLite store (the same file
 * a running `gatehouse dev` or `serve` uses), or DynamoDB.
 */
export async function openConnectionStore(values: Values, io: CliIo, gateway?: string): Promise<{ store: ConnectionStore; close(): Promise<void> }> {
  const target = await storeTargetOf(values, io, gateway);
  if (target.kind === "memory") throw new UsageError("a memory store cannot be reached from another process; run `gatehouse dev` without --memory");
  const table = values["connections-table"];
  const stores = await openStores(target.kind === "aws" && table ? { ...target, tables: { ...target.tables, connections: table } } : target);
  return { store: stores.connections, close: () => stores.close() };
}

const USAGE = [
  `gatehouse connections list <gateway> [--json] ${STORE_USAGE} [--connections-table <t>]`,
  `       gatehouse connections show <gateway> <connection> [--json] ${STORE_USAGE}`,
  `       gatehouse connections disconnect <gateway> <connection> [--definition <gateway file> [--unsafe-allow-private <cidr>]...] ${STORE_USAGE}`,
].join("\n");

/** `gatehouse connections list | show | disconnect`: status, identity, scopes, expiry; never a token. */
export const command: Command = {
  summary: "List, show and disconnect OAuth connections (status, identity, scopes, expiry; never a token).",
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...CONNECTION_STORE_OPTIONS,
      ...JSON_OPTION,
      definition: { type: "string" },
      "unsafe-allow-private": { type: "string", multiple: true, default: [] },
    });
    const [action, gatewayName, connection, ...extra] = positionals;
    if (!action || !["list", "show", "disconnect"].includes(action)) throw new UsageError("say list, show or disconnect");
    if (!gatewayName) throw new UsageError(`connections ${action} needs a gateway name or id`);
    if (action === "list" ? connection !== undefined : !connection || extra.length)
      throw new UsageError(`connections ${action} takes ${action === "list" ? "a gateway" : "a gateway and a connection"}`);
    // A stored connection may outlive its definition (removed, not yet disconnected): no check of its name here.
    const gateway = await findGateway(gatewayName, values, io);
    const label = gateway.name ?? gateway.id;
    const opened = await openConnectionStore(values, io, gatewayName);
    const now = Date.now();
    try {
      if (action === "list") {
        const records = await opened.store.list(gateway.id);
        if (values.json) io.out(JSON.stringify(records.map(publicView), null, 2));
        else if (!records.length) io.out(`no connections for gateway ${label}; connect one with: gatehouse connect ${label} <connection>`);
        else
          io.out(
            formatTable(
              ["CONNECTION", "PROVIDER", "STATUS", "CONNECTED AS", "EXPIRES", "LAST REFRESH"],
              records.map((r) => row(r, now)),
            ),
          );
        return EXIT.ok;
      }
      const record = await opened.store.get(gateway.id, connection!);
      if (!record) {
        io.err(`gatehouse connections: gateway ${label} has no stored connection '${connection}'`);
        return EXIT.failed;
      }
      if (action === "show") {
        if (values.json) io.out(JSON.stringify(publicView(record), null, 2));
        else io.out(details(record, label, now));
        return EXIT.ok;
      }
      const target = await storeTargetOf(values, io, gatewayName);
      const lines = await disconnect({
        io,
        store: opened.store,
        record,
        gatewayLabel: label,
        definition: values.definition,
        allowPrivate: values["unsafe-allow-private"],
        dataDir: dataDirOf(values, io),
        local: target.kind === "local",
      });
      for (const line of lines) io.out(line);
      return EXIT.ok;
    } finally {
      await opened.close();
    }
  },
};

/** What the CLI shows of a record: everything but the sealed tokens. */
function publicView(record: ConnectionRecord): Omit<ConnectionRecord, "sealedTokens"> {
  const { sealedTokens: _sealed, ...rest } = record;
  return rest;
}

const STATUS_WORDS: Record<ConnectionRecord["status"], string> = {
  connected: "connected",
  needs_reauthorization: "needs re-authorization",
  misconfigured: "misconfigured",
};

function row(record: ConnectionRecord, now: number): string[] {
  return [
    record.connection,
    record.provider,
    STATUS_WORDS[record.status],
    record.identity?.label ?? record.identity?.id ?? "-",
    expiry(record, now),
    record.lastRefreshAt ? new Date(record.lastRefreshAt).toISOString() : "never",
  ];
}

function expiry(record: ConnectionRecord, now: number): string {
  if (record.expiresAt === null) return "not signalled";
  const iso = new Date(record.expiresAt).toISOString();
  return record.expiresAt <= now ? `${iso} (expired${record.refreshable ? ", refreshed on next use" : ""})` : iso;
}

function details(record: ConnectionRecord, gateway: string, now: number): string {
  const lines = [
    `connection     ${record.connection} (gateway ${gateway})`,
    `provider       ${record.provider}`,
    `status         ${STATUS_WORDS[record.status]}`,
    `connected as   ${record.identity?.label ?? "-"}${record.identity?.id ? ` (id ${record.identity.id})` : ""}`,
    ...Object.entries(record.identity?.details ?? {}).map(([k, v]) => `  ${k.padEnd(13)}${v}`),
    `scopes         ${record.scopes.join(" ") || "-"}`,
    `expires        ${expiry(record, now)}`,
    `refresh token  ${record.refreshable ? "held (sealed)" : "none"}`,
    `connected at   ${new Date(record.connectedAt).toISOString()}`,
    `last refresh   ${record.lastRefreshAt ? new Date(record.lastRefreshAt).toISOString() : "never"}`,
    `version        ${record.version}`,
  ];
  if (record.lastError) {
    lines.push(
      `last error     ${record.lastError.class} ${record.lastError.code} at ${new Date(record.lastError.at).toISOString()}: ${record.lastError.message}`,
    );
  }
  if (record.status === "needs_reauthorization") lines.push(`reconnect with gatehouse connect ${gateway} ${record.connection}`);
  if (record.status === "misconfigured") lines.push("fix the connection's client id, secret or redirect URI at the provider; the user's grant was left alone");
  return lines.join("\n");
}
