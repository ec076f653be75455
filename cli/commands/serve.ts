import type { Gateway } from "../../schema/gateway.ts";
import { wireLocal } from "../../functions/front-doors/node/wire-local.ts";
import { jsonLog } from "../../functions/ports/log.ts";
import { bufferedLines, serveAccessLine } from "../access-log.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { recordGateways } from "../gateway-names.ts";
import { checkServerFlags, listenGateway, loadServedFile, nextStopSignal, secretValuesFor, SERVER_OPTIONS, startLocalMetrics } from "../local-server.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../command-args.ts";

/** How long in-flight requests may take to finish after SIGTERM (systemd's default stop timeout is 90 s; the example unit sets 30 s). */
const DRAIN_TIMEOUT_MS = 25_000;

/** `gatehouse serve`: one machine in production, on the SQLite store of `--data`. */
export const command: Command = {
  summary: "Run a gateway definition on one machine in production (SQLite store in --data, JSON log lines, drains on SIGTERM).",
  usage:
    "gatehouse serve <file> --data <dir> [--host 127.0.0.1] [--port 8787] [--metrics <host:port>] [--secrets-file <file.json>] [--token-cache-seconds 10] [--unsafe-allow-private <cidr>]...\n" +
    "  an endpoint's unsafeAllowPrivateNetworks runs only when the same range is given as --unsafe-allow-private <cidr>",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { ...SERVER_OPTIONS, data: { type: "string" } });
    if (!values.data)
      throw new UsageError("--data <dir> is required: the folder of the store, the keyring and sealed secrets (for example /var/lib/gatehouse)");
    const flags = checkServerFlags(values);
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new UsageError("say which definition file to serve (one)");

    const gateways = await loadServedFile(file, io);
    if (!gateways) return EXIT.failed;
    refuseUnspokenUnsafe(gateways, flags.unsafeAllowPrivate);

    // Every line is one JSON object on stdout: requests, lifecycle, warnings, the audit fallback.
    const log = jsonLog((line) => io.out(line));
    for (const cidr of flags.unsafeAllowPrivate)
      log.warn("serve.unsafe", { flag: "--unsafe-allow-private", cidr, effect: "every endpoint may reach this private range" });

    const metrics = await startLocalMetrics(flags);
    const local = await wireLocal({
      ...(metrics ? { wrapAudit: metrics.wrapAudit } : {}),
      gateways,
      dataDir: values.data,
      secretValues: await secretValuesFor(values.data, values["secrets-file"], io.env),
      unsafeAllowPrivate: flags.unsafeAllowPrivate,
      tokenCacheSeconds: flags.tokenCacheSeconds,
      log,
    }).catch(async (error: unknown) => {
      // A gateway that cannot start leaves no metrics listener holding the process open.
      await metrics?.close();
      throw error;
    });
    await recordGateways(values.data, gateways);
    // Access lines go through a small buffer (a write per request cost a syscall each), flushed at
    // shutdown; lifecycle, warnings and the audit fallback are written at once.
    const access = bufferedLines((text) => io.out(text));
    const listening = await listenGateway(local, flags, (a) => access.write(serveAccessLine(a)));
    if (!listening) {
      await metrics?.close();
      throw new Error(`port ${flags.port} on ${flags.host} is already in use`);
    }
    log.info("serve.started", {
      address: listening.base,
      pid: process.pid,
      store: local.stores.description,
      tokenCacheSeconds: flags.tokenCacheSeconds,
      ...(metrics ? { metrics: metrics.url } : {}),
      gateways: gateways.map((g) => ({ name: g.name, id: g.id, revision: g.revision, endpoints: Object.keys(g.endpoints) })),
    });

    const signal = await nextStopSignal();
    access.flush();
    log.info("serve.draining", { signal, timeoutMs: DRAIN_TIMEOUT_MS });
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      listening.door.drain().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!drained) {
      log.warn("serve.drain_timeout", { timeoutMs: DRAIN_TIMEOUT_MS });
      listening.door.server.closeAllConnections();
    }
    access.flush();
    await local.close();
    await metrics?.close();
    log.info("serve.stopped", { signal, drained });
    return EXIT.ok;
  },
};

/**
 * A private range a definition opens is dangerous in production: `serve` runs it only when the
 * operator says the same range on the command line (`--unsafe-allow-private <cidr>`).
 */
function refuseUnspokenUnsafe(gateways: Gateway[], spoken: string[]): void {
  for (const g of gateways) {
    for (const e of Object.values(g.endpoints)) {
      const unspoken = e.unsafeAllowPrivateNetworks.filter((cidr) => !spoken.includes(cidr));
      if (unspoken.length) {
        throw new UsageError(
          `${g.name}/${e.slug} sets unsafeAllowPrivateNetworks ${unspoken.join(", ")}; gatehouse serve runs it only when the command line says so too: ` +
            unspoken.map((cidr) => `--unsafe-allow-private ${cidr}`).join(" "),
        );
      }
    }
  }
}
