import type { Gateway } from "../../schema/gateway.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { startDemoEchoUpstream } from "../../functions/front-doors/node/demo-echo-upstream.ts";
import { wireLocal } from "../../functions/front-doors/node/wire-local.ts";
import { bufferedLines, devAccessLine } from "../access-log.ts";
import { EXIT, UsageError, type CliIo } from "../io.ts";
import { recordGateways } from "../gateway-names.ts";
import {
  checkServerFlags,
  listenGateway,
  loadServedFileWithInputs,
  nextStopSignal,
  secretValuesFor,
  SERVER_OPTIONS,
  startLocalMetrics,
} from "../local-server.ts";
import { applyUpstreamOverrides, OVERRIDE_REVISION_SUFFIX, parseUpstreamOverrides } from "../upstream-overrides.ts";
import type { Command } from "../command.ts";
import { swappableEngine, watchDefinition } from "../dev-watch.ts";
import { parseCommandArgs } from "../command-args.ts";

/** `gatehouse dev`: serve definitions locally on the SQLite store of the data folder (or memory). */
export const command: Command = {
  summary: "Serve a gateway definition locally (durable SQLite store in --data, or --memory).",
  usage:
    "gatehouse dev [file] [--port 8787] [--host 127.0.0.1] [--memory] [--data .gatehouse] " +
    "[--unsafe-allow-private <cidr>]... [--upstream [<gateway>/]<slug>=<url>]... [--secrets-file <file.json>] [--demo] [--token-cache-seconds 10] [--watch] [--metrics <host:port>]\n" +
    "  --watch     reload when the definition or a file it imports changes (in-flight requests finish on the old one; a broken edit keeps it)\n" +
    "  --metrics   serve Prometheus metrics at http://<host:port>/metrics (its own listener, never the gateway's port)\n" +
    "  --upstream  send an endpoint to another upstream (a local fake) for this run only; loopback and private addresses allowed\n" +
    "  secrets come from the environment, --secrets-file, or `gatehouse secrets set NAME` (stored sealed)",
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...SERVER_OPTIONS,
      memory: { type: "boolean", default: false },
      data: { type: "string", default: ".gatehouse" },
      upstream: { type: "string", multiple: true, default: [] },
      demo: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
    });
    const flags = checkServerFlags(values);
    const { port, tokenCacheSeconds } = flags;
    const overrides = parseUpstreamOverrides(values.upstream);
    const file = positionals[0] ?? "gateway.ts";
    if (positionals.length > 1) throw new UsageError("serve one definition file at a time");

    const loaded = await loadServedFileWithInputs(file, io);
    if (!loaded) return EXIT.failed;
    const { gateways, applied } = applyUpstreamOverrides(loaded.gateways, overrides);
    // Precedence: environment, then --secrets-file, then values stored with `gatehouse secrets set`.
    const secretValues = await secretValuesFor(values.data, values["secrets-file"], io.env);

    for (const cidr of values["unsafe-allow-private"]) {
      io.err(`⚠ --unsafe-allow-private ${cidr}: every endpoint may reach this private range. Never use this in production.`);
    }
    for (const g of gateways) {
      for (const e of Object.values(g.endpoints)) {
        for (const cidr of e.unsafeAllowPrivateNetworks) io.err(`⚠ ${g.name}/${e.slug} may reach private network ${cidr} (unsafeAllowPrivateNetworks)`);
      }
    }

    for (const o of applied) {
      io.err(
        `⚠ UPSTREAM OVERRIDE ${o.gateway}/${o.slug}: ${o.from} -> ${o.to} for this run only (the definition is unchanged; ` +
          `loopback and private networks allowed for this endpoint; audit revision ends in ${OVERRIDE_REVISION_SUFFIX})`,
      );
    }

    const demo = values.demo ? await startDemoEchoUpstream(8788) : null;
    if (demo) io.out("demo upstream: echo server on http://127.0.0.1:8788 (for the quickstart's `echo` endpoint)");

    const metrics = await startLocalMetrics(flags);
    const local = await wireLocal({
      ...(metrics ? { wrapAudit: metrics.wrapAudit } : {}),
      gateways,
      memory: values.memory,
      dataDir: values.data,
      secretValues,
      unsafeAllowPrivate: values["unsafe-allow-private"],
      tokenCacheSeconds,
    }).catch(async (error: unknown) => {
      // A gateway that cannot start leaves no metrics listener holding the process open.
      await metrics?.close();
      throw error;
    });
    // So `gatehouse token create --gateway <name>` in another terminal finds these gateways.
    if (!values.memory) await recordGateways(values.data, gateways);
    const engine = values.watch ? swappableEngine(local.engine) : null;
    // Access lines go out through a small buffer (a write per request cost a syscall each); flushed at shutdown.
    const access = bufferedLines((text) => io.out(text));
    const listening = await listenGateway(engine ? { ...local, engine } : local, flags, (a) => access.write(devAccessLine(a))).catch((error: unknown) => {
      demo?.close();
      void metrics?.close();
      throw error;
    });
    if (!listening) {
      demo?.close();
      await metrics?.close();
      io.err(
        `gatehouse dev: port ${port} on ${values.host} is already in use; stop what holds it or pick another with --port <n> (--port 0 takes any free port)`,
      );
      return EXIT.failed;
    }
    const { door, base } = listening;

    io.out(`Gatehouse dev server on ${base}, store: ${local.stores.description}`);
    if (metrics) io.out(`metrics (Prometheus): ${metrics.url}`);
    for (const gateway of gateways) {
      await printGateway(gateway, base, values.memory, local.ports.tokens, io);
      for (const connection of Object.keys(gateway.connections)) {
        if (values.memory && local.oauth) {
          // A memory store is out of other processes' reach, so the one-time link is made here.
          const session = await local.oauth.createConnectSession(gateway, connection, base);
          io.out(`  connect '${connection}' (one-time link): ${session.url}`);
        } else {
          io.out(`  connect '${connection}':  npx gatehouse connect ${gateway.name} ${connection} --base-url ${base}`);
        }
      }
    }

    const unwatch = engine
      ? watchDefinition({ file, inputs: loaded.inputs, io, local, engine, overrides, dataDir: values.memory ? null : values.data, current: gateways })
      : null;
    const signal = await nextStopSignal();
    access.flush();
    io.out(`${signal}: finishing in-flight requests, refusing new ones...`);
    unwatch?.();
    await door.drain();
    access.flush();
    await local.close();
    await metrics?.close();
    demo?.close();
    io.out("stopped.");
    return EXIT.ok;
  },
};

async function printGateway(gateway: Gateway, base: string, memory: boolean, tokens: Parameters<typeof issueToken>[0], io: CliIo): Promise<void> {
  io.out(`\ngateway '${gateway.name}' (id ${gateway.id}, revision ${gateway.revision})`);
  for (const endpoint of Object.values(gateway.endpoints)) {
    io.out(`  ${endpoint.slug.padEnd(16)} ${base}/api/${gateway.id}/proxy/${endpoint.slug}/  -> ${endpoint.upstream}  [${endpoint.methods.join(", ")}]`);
  }
  if (memory) {
    // Nothing else can reach a memory store, so the dev token is made here and shown once.
    const { token, record } = await issueToken(tokens, { gatewayId: gateway.id, label: "dev", now: Date.now() });
    io.out(`  dev token (${record.id}, all endpoints, shown once): ${token}`);
  } else {
    io.out(`  get a token:  npx gatehouse token create --gateway ${gateway.name} --label my-app`);
  }
  const first = Object.values(gateway.endpoints)[0];
  if (first) io.out(`  try:          curl -H "Authorization: Bearer <token>" ${base}/api/${gateway.id}/proxy/${first.slug}/`);
}
