import { openStores } from "../../functions/front-doors/node/wire-stores.ts";
import type { AuditFilter, AuditReader, AuditRecord } from "../../functions/ports/audit-sink.ts";
import { auditCsvHeader, auditCsvRows, auditJsonLines, auditTable, type AuditFormat } from "../audit-formats.ts";
import { findGateway } from "../find-gateway.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, parseCommandArgs } from "../command-args.ts";
import { parseDuration } from "../parse-duration.ts";
import { STORE_OPTIONS, STORE_USAGE, storeTargetOf } from "../store-flags.ts";

/** How often `--follow` asks for new records. */
const FOLLOW_INTERVAL_MS = 1000;

/** Records shown when no `--limit` is given. */
const DEFAULT_LIMIT = 100;

/** `gatehouse audit`: the audit records of the local store or DynamoDB, filtered. */
export const command: Command = {
  summary: "Show audited requests: filter by gateway, endpoint, token, time and status; --follow for new ones.",
  usage: `gatehouse audit [--gateway <name|uuid>] [--endpoint <slug>] [--token <tok_id>] [--request-id <req_id>] [--since 1h] [--status 4xx|404] [--limit 100] [--follow] [--format table|json|csv] [--json] ${STORE_USAGE}`,
  run: (args, io) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    return runAudit(args, io, controller.signal).finally(() => process.off("SIGINT", stop));
  },
};

/**
 * The audit command with its stop signal (SIGINT for people; tests abort it). `--format json`
 * prints one JSON record per line (JSON Lines), `--format csv` RFC 4180 CSV with a header line,
 * `table` (the default) aligned columns with the refusal reason. `--json` (older) prints one JSON
 * array, or JSON Lines with `--follow`.
 */
export async function runAudit(args: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...STORE_OPTIONS,
    gateway: { type: "string" },
    endpoint: { type: "string" },
    token: { type: "string" },
    "request-id": { type: "string" },
    format: { type: "string" },
    since: { type: "string" },
    status: { type: "string" },
    limit: { type: "string" },
    follow: { type: "boolean", default: false },
    ...JSON_OPTION,
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}': this command takes options only`);
  const filter: AuditFilter = {};
  if (values.gateway) filter.gatewayId = (await findGateway(values.gateway, values, io)).id;
  if (values.endpoint) filter.endpoint = values.endpoint;
  if (values.token) filter.tokenId = values.token;
  if (values["request-id"] !== undefined) filter.requestId = values["request-id"];
  const format = formatOf(values.format, values.json);
  if (values.since) {
    const ms = parseDuration(values.since);
    if (ms === null) throw new UsageError(`--since takes a duration like 15m, 1h or 7d, not '${values.since}'`);
    filter.since = Date.now() - ms;
  }
  if (values.status) Object.assign(filter, parseStatus(values.status));
  const limit = values.limit !== undefined ? Number(values.limit) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a whole number of records, not '${values.limit}'`);
  filter.limit = limit;

  const stores = await openStores(await storeTargetOf(values, io, values.gateway));
  try {
    const first = await stores.audit.query(filter);
    if (values.json && values.format === undefined && !values.follow) io.out(JSON.stringify(first, null, 2));
    else if (format === "json") for (const line of auditJsonLines(first)) io.out(line);
    // RFC 4180 lines end in CRLF (io.out adds the LF).
    else if (format === "csv") for (const line of [auditCsvHeader(), ...auditCsvRows(first)]) io.out(`${line}\r`);
    else if (first.length === 0 && !values.follow)
      io.out(filter.requestId !== undefined ? `no audit record of request ${filter.requestId}` : "no audit records match");
    else io.out(auditTable(first));
    if (!values.follow) return EXIT.ok;
    // On stderr, so `--follow --json` stays pure JSON Lines on stdout.
    io.err("following new records until interrupted (Ctrl-C)");
    await follow(stores.audit, filter, first, io, format, signal);
    return EXIT.ok;
  } finally {
    await stores.close();
  }
}

/** Polls for records newer than the ones shown until `signal` fires. */
async function follow(reader: AuditReader, filter: AuditFilter, shown: AuditRecord[], io: CliIo, format: AuditFormat, signal: AbortSignal): Promise<void> {
  const seen = new Set(shown.map((r) => r.requestId));
  // Records are written when a response ends, stamped with when it began: look back a little.
  let since = Math.max(filter.since ?? 0, (shown.at(-1)?.time ?? Date.now()) - 60_000);
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FOLLOW_INTERVAL_MS);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (signal.aborted) break;
    const { limit: _limit, ...unlimited } = filter;
    const fresh = (await reader.query({ ...unlimited, since })).filter((r) => !seen.has(r.requestId));
    for (const r of fresh) {
      seen.add(r.requestId);
      io.out(format === "json" ? auditJsonLines([r])[0]! : format === "csv" ? `${auditCsvRows([r])[0]!}\r` : auditTable([r], false));
    }
    if (fresh.length) since = Math.max(since, fresh.at(-1)!.time - 60_000);
  }
}

/** `4xx` is a class, `404` an exact status. */
function parseStatus(text: string): Pick<AuditFilter, "status" | "statusClass"> {
  if (/^[1-5]xx$/i.test(text)) return { statusClass: Number(text[0]) };
  if (/^[1-5]\d\d$/.test(text)) return { status: Number(text) };
  throw new UsageError(`--status takes a status like 404 or a class like 4xx, not '${text}'`);
}

/** `--format`, with `--json` as the older spelling of JSON output. */
function formatOf(format: string | undefined, json: boolean): AuditFormat {
  if (format === undefined) return json ? "json" : "table";
  if (format !== "table" && format !== "json" && format !== "csv") throw new UsageError(`--format takes table, json or csv, not '${format}'`);
  if (json && format !== "json") throw new UsageError(`--json and --format ${format} ask for two formats; use one`);
  return format;
}
