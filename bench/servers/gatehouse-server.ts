// Child process: gatehouse's Node front door over the real engine, with memory or SQLite
// stores. Usage: gatehouse-server.ts <upstream-origin> memory|sqlite [dataDir].
// Prints {"port","token","path","store"} when ready, or {"unavailable": reason} and exits 0.
// On SIGTERM it drains, prints {"auditRecords","auditHeapMb","heapUsedMb"} and exits (the heap the
// retained audit records hold is measured with --expose-gc). GATEHOUSE_BENCH_PROFILE: see arm-profiler.ts.
import { mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { bufferedLines, serveAccessLine } from "../../cli/access-log.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { createNodeServer } from "../../functions/front-doors/node/node-server.ts";
import { wireLocal, type LocalGateway } from "../../functions/front-doors/node/wire-local.ts";
import { jsonLog } from "../../functions/ports/log.ts";
import { armProfiler } from "./arm-profiler.ts";
import { BENCH_SECRET_NAME, benchGateway, benchPath } from "./bench-gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";

const [origin, store, dataDir] = process.argv.slice(2);
if (!origin || (store !== "memory" && store !== "sqlite")) throw new Error("usage: gatehouse-server.ts <origin> memory|sqlite [dataDir]");

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const gateway = benchGateway(origin);
// The composition `gatehouse dev` and `gatehouse serve` use (wireLocal): the same stores, the
// secret sealed by the local keyring as it is there, the same SSRF-guarded upstream client.
let local: LocalGateway;
try {
  local = await wireLocal({
    gateways: [gateway],
    memory: store === "memory",
    dataDir: dataDir ?? ".gatehouse-bench",
    secretValues: { [BENCH_SECRET_NAME]: process.env[BENCH_SECRET_NAME] ?? "bench-secret-value" },
    log: jsonLog((line) => process.stderr.write(`${line}\n`)),
  });
} catch (error) {
  say({ unavailable: errorMessage(error) });
  process.exit(0);
}
const { stores, engine } = local;
const { token } = await issueToken(stores.tokens, { gatewayId: gateway.id, label: "bench", now: Date.now() });
// The access log on, as `gatehouse serve` writes it (JSON lines through the same small buffer),
// into a file of the run's folder, as `serve > file` would.
const accessFile = join(dataDir ?? ".gatehouse-bench", "access.log");
mkdirSync(dirname(accessFile), { recursive: true });
const accessFd = openSync(accessFile, "a");
const access = bufferedLines((text) => writeSync(accessFd, text));
const door = createNodeServer(engine, { onAccess: (a) => access.write(serveAccessLine(a)), gatherEnds: stores.audit.resolvesPerTurn !== true });
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
    await local.close();
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
