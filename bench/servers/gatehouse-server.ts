// Child process: gatehouse's Node front door over the real engine, with memory or SQLite
// stores. Usage: gatehouse-server.ts <upstream-origin> memory|sqlite [dataDir].
// Prints {"port","token","path","store"} when ready, or {"unavailable": reason} and exits 0.
// On SIGTERM it drains, prints {"auditRecords","auditHeapMb","heapUsedMb"} and exits (the heap the
// retained audit records hold is measured with --expose-gc). GATEHOUSE_BENCH_PROFILE: see arm-profiler.ts.
import { mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { bufferedLines } from "../../cli/access-log.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { createEngine } from "../../functions/engine/create-engine.ts";
import { createNodeServer } from "../../functions/front-doors/node/node-server.ts";
import { openLocalStores, type LocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { StaticSecretSource } from "../../functions/adapters/memory/static-secret-source.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { nodeTokenHasher } from "../../functions/adapters/node/node-token-hasher.ts";
import { systemClock } from "../../functions/ports/clock.ts";
import { jsonLog } from "../../functions/ports/log.ts";
import { armProfiler } from "./arm-profiler.ts";
import { BENCH_SECRET_NAME, benchGateway, benchPath } from "./bench-gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";

const [origin, store, dataDir] = process.argv.slice(2);
if (!origin || (store !== "memory" && store !== "sqlite")) throw new Error("usage: gatehouse-server.ts <origin> memory|sqlite [dataDir]");

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

let stores: LocalStores;
try {
  stores = await openLocalStores({ memory: store === "memory", dataDir: dataDir ?? ".gatehouse-bench" });
} catch (error) {
  say({ unavailable: errorMessage(error) });
  process.exit(0);
}

const gateway = benchGateway(origin);
const upstream = new UndiciUpstreamClient();
const engine = createEngine({
  gateways: [gateway],
  ports: {
    tokens: stores.tokens,
    rateLimiter: stores.rateLimiter,
    audit: stores.audit,
    secrets: new StaticSecretSource({ [BENCH_SECRET_NAME]: process.env[BENCH_SECRET_NAME] ?? "bench-secret-value" }),
    upstream,
    clock: systemClock,
    log: jsonLog((line) => process.stderr.write(`${line}\n`)),
    hashToken: nodeTokenHasher,
  },
});
const { token } = await issueToken(stores.tokens, { gatewayId: gateway.id, label: "bench", now: Date.now() });
// The access log on, as `gatehouse serve` writes it (JSON lines through the same small buffer),
// into a file of the run's folder, as `serve > file` would.
const accessFile = join(dataDir ?? ".gatehouse-bench", "access.log");
mkdirSync(dirname(accessFile), { recursive: true });
const accessFd = openSync(accessFile, "a");
const access = bufferedLines((text) => writeSync(accessFd, text));
const accessLog = jsonLog((line) => access.write(line));
const door = createNodeServer(engine, { onAccess: (a) => accessLog.info("request", a) });
door.server.listen(0, "127.0.0.1", () => {
  const address = door.server.address();
  say({
    port: typeof address === "object" && address ? address.port : 0,
    token,
    path: benchPath(gateway),
    store: stores.description,
  });
});

const stopProfiler = armProfiler(say);

process.once("SIGTERM", () => {
  void (async () => {
    await stopProfiler();
    await Promise.race([door.drain(), new Promise((r) => setTimeout(r, 3000))]);
    access.flush();
    say(auditFootprint((stores.audit as { records?: unknown[] }).records));
    await upstream.close();
    await stores.close();
    process.exit(0);
  })();
});

/**
 * How many audit records the memory sink holds and how much heap they take: a full GC, the
 * heap measured, the records dropped (the process is exiting), another GC, measured again.
 */
function auditFootprint(records: unknown[] | undefined): { auditRecords: number | null; auditHeapMb: number | null; heapUsedMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapUsed = process.memoryUsage().heapUsed;
  if (!Array.isArray(records) || !gc)
    return { auditRecords: Array.isArray(records) ? records.length : null, auditHeapMb: null, heapUsedMb: Math.round(heapUsed / 1048576) };
  const count = records.length;
  records.length = 0;
  gc();
  return { auditRecords: count, auditHeapMb: Math.round((heapUsed - process.memoryUsage().heapUsed) / 1048576), heapUsedMb: Math.round(heapUsed / 1048576) };
}
