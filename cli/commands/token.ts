import { openStores } from "../../functions/front-doors/node/wire-stores.ts";
import type { TokenRecord } from "../../functions/ports/token-store.ts";
import { issueToken, rotateToken } from "../../functions/tokens/issue-token.ts";
import { formatTable } from "../format-table.ts";
import { findGateway, requireKnown } from "../find-gateway.ts";
import { printable, hasControlCharacters } from "../printable.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { parseDuration } from "../parse-duration.ts";
import { STORE_OPTIONS, STORE_USAGE, storeTargetOf } from "../store-flags.ts";

/** How long a running gateway may keep trusting a revoked token: its token cache (engine default). */
const CACHE_SECONDS = 10;

const USAGE = [
  `gatehouse token create --gateway <name|uuid> [--endpoints a,b] [--label <text>] [--expires 30d] [--json] ${STORE_USAGE}`,
  `       gatehouse token list --gateway <name|uuid> [--json] ${STORE_USAGE}`,
  `       gatehouse token revoke <id> [--json] ${STORE_USAGE}`,
  `       gatehouse token rotate <id> [--overlap 1h] [--json] ${STORE_USAGE}`,
].join("\n");

/** `gatehouse token create | list | revoke | rotate`: client tokens, shown once, stored as hashes. */
export const command: Command = {
  summary: "Create, list, revoke and rotate client tokens (a new token is printed once).",
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...STORE_OPTIONS,
      gateway: { type: "string" },
      endpoints: { type: "string" },
      label: { type: "string" },
      expires: { type: "string" },
      overlap: { type: "string" },
      ...JSON_OPTION,
    });
    const [action, ...rest] = positionals;
    if (!action || !["create", "list", "revoke", "rotate"].includes(action)) throw new UsageError("say create, list, revoke or rotate");
    const now = Date.now();
    // Check the arguments before opening (and maybe starting) a store.
    const id = action === "revoke" || action === "rotate" ? rest[0] : undefined;
    if ((action === "revoke" || action === "rotate") && (!id || rest.length !== 1)) throw new UsageError(`token ${action} takes one token id`);
    if ((action === "create" || action === "list") && (!values.gateway || rest.length)) throw new UsageError(`token ${action} needs --gateway <name|uuid>`);
    if (values.label !== undefined && hasControlCharacters(values.label)) {
      throw new UsageError("--label must not contain control characters (newlines, tabs, escape sequences): it is printed in lists and audit tables");
    }
    const expiresMs = values.expires !== undefined ? duration(values.expires, "--expires") : null;
    const overlapMs = values.overlap !== undefined ? duration(values.overlap, "--overlap") : 3_600_000;
    const gateway = values.gateway ? await findGateway(values.gateway, values, io) : null;
    const endpoints = values.endpoints
      ? values.endpoints
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : null;
    if (values.endpoints !== undefined && action !== "create") throw new UsageError("--endpoints goes with token create");
    if (endpoints && endpoints.length === 0) throw new UsageError("--endpoints needs at least one endpoint slug, like --endpoints stripe,github");
    if (endpoints) requireKnown(gateway!, "endpoint", endpoints);

    const stores = await openStores(await storeTargetOf(values, io, values.gateway));
    try {
      if (action === "create") {
        const { token, record } = await issueToken(stores.tokens, {
          gatewayId: gateway!.id,
          label: values.label ?? "",
          endpoints,
          expiresAt: expiresMs === null ? null : now + expiresMs,
          now,
        });
        if (values.json) io.out(JSON.stringify({ ...publicRecord(record, now), token }, null, 2));
        else printNewToken(io, token, record, gateway!.name);
        return EXIT.ok;
      }
      if (action === "list") {
        const records = await stores.tokens.list(gateway!.id);
        if (values.json)
          io.out(
            JSON.stringify(
              records.map((r) => publicRecord(r, now)),
              null,
              2,
            ),
          );
        else if (records.length === 0) io.out(`no tokens for gateway ${gateway!.name ?? gateway!.id}`);
        else
          io.out(
            formatTable(
              ["ID", "LABEL", "ENDPOINTS", "CREATED", "EXPIRES", "STATUS"],
              records.map((r) => listRow(r, now)),
            ),
          );
        return EXIT.ok;
      }
      if (action === "revoke") {
        const revoked = await stores.tokens.revoke(id!, now);
        if (!revoked) {
          io.err(`gatehouse token: no token ${id}`);
          return EXIT.failed;
        }
        const record = await stores.tokens.findById(id!);
        if (values.json) io.out(JSON.stringify({ ...publicRecord(record!, now), cacheSeconds: CACHE_SECONDS }, null, 2));
        else io.out(`revoked ${id}; running gateways refuse it within ${CACHE_SECONDS} s (their token cache)`);
        return EXIT.ok;
      }
      const rotated = await rotateToken(stores.tokens, id!, { overlapMs, now });
      if (!rotated) {
        io.err(`gatehouse token: no active token ${id}`);
        return EXIT.failed;
      }
      if (values.json) {
        io.out(JSON.stringify({ ...publicRecord(rotated.record, now), token: rotated.token, previous: publicRecord(rotated.previous, now) }, null, 2));
      } else {
        printNewToken(io, rotated.token, rotated.record, null);
        io.out(`the old token ${id} keeps working until ${iso(rotated.previous.expiresAt)}`);
      }
      return EXIT.ok;
    } finally {
      await stores.close();
    }
  },
};

function duration(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${flag} takes a duration like 90s, 15m, 1h, 30d or 2w, not '${text}'`);
  return ms;
}

/** A record as the CLI shows it: no hash, readable times, a status word. */
function publicRecord(record: TokenRecord, now: number) {
  return {
    id: record.id,
    gatewayId: record.gatewayId,
    label: record.label,
    endpoints: record.endpoints,
    createdAt: iso(record.createdAt),
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    status: status(record, now),
    ...(record.rotatedFrom ? { rotatedFrom: record.rotatedFrom } : {}),
  };
}

function status(record: TokenRecord, now: number): "active" | "revoked" | "expired" {
  if (record.revokedAt !== null && record.revokedAt <= now) return "revoked";
  if (record.expiresAt !== null && record.expiresAt <= now) return "expired";
  return "active";
}

function listRow(record: TokenRecord, now: number): string[] {
  return [
    record.id,
    record.label || "-",
    record.endpoints?.join(",") ?? "(all)",
    iso(record.createdAt) ?? "-",
    iso(record.expiresAt) ?? "never",
    status(record, now),
  ];
}

function printNewToken(io: CliIo, token: string, record: TokenRecord, gatewayName: string | null): void {
  io.out(
    [
      `created ${record.id}${record.label ? ` (${printable(record.label)})` : ""} for gateway ${gatewayName ? `${gatewayName} ` : ""}${record.gatewayId}`,
      `endpoints: ${record.endpoints?.join(", ") ?? "all"}; expires: ${iso(record.expiresAt) ?? "never"}`,
      "",
      `  ${token}`,
      "",
      "This is the only time the token is shown: store it now. Gatehouse keeps only its hash.",
    ].join("\n"),
  );
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
