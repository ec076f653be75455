// `node cli/run-ts.mjs bench/sqlite-engine-ab.ts [--quick]`: the pipeline's cost per request on
// the memory ports and on the SQLite ports, in one process, alternating rounds, no network (the
// fake upstream of the engine microbenchmarks), 1 and 32 requests at a time. On a shared,
// busy machine this is steadier than the load runs: both sides see the same noise, round by round.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryAuditSink } from "../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryRateLimiter } from "../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../functions/adapters/memory/memory-token-store.ts";
import { StaticSecretSource } from "../functions/adapters/memory/static-secret-source.ts";
import { nodeTokenHasher } from "../functions/adapters/node/node-token-hasher.ts";
import { openSqliteStore } from "../functions/adapters/sqlite/open-sqlite-store.ts";
import { createEngine, type Engine } from "../functions/engine/create-engine.ts";
import type { GatewayResponse } from "../functions/ports/http-types.ts";
import { systemClock } from "../functions/ports/clock.ts";
import type { AuditSink } from "../functions/ports/audit-sink.ts";
import type { RateLimiter } from "../functions/ports/rate-limiter.ts";
import type { TokenStore } from "../functions/ports/token-store.ts";
import { issueToken } from "../functions/tokens/issue-token.ts";
import { FixedUpstreamClient } from "./micro/engine-cases.ts";
import { BENCH_SECRET_NAME, benchGateway, benchRequest } from "./servers/bench-gateway.ts";

const quick = process.argv.includes("--quick");
const gateway = benchGateway("http://127.0.0.1:9");
const folder = mkdtempSync(join(tmpdir(), "gatehouse-ab-"));

async function build(ports: {
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  audit: AuditSink;
}): Promise<(concurrency: number, total: number) => Promise<Sample>> {
  const engine: Engine = createEngine({
    gateways: [gateway],
    ports: {
      ...ports,
      secrets: new StaticSecretSource({ [BENCH_SECRET_NAME]: "bench-secret-value" }),
      upstream: new FixedUpstreamClient(),
      clock: systemClock,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      hashToken: nodeTokenHasher,
    },
  });
  const { token } = await issueToken(ports.tokens, { gatewayId: gateway.id, label: "bench", now: Date.now() });
  const request = benchRequest(gateway, token);
  const one = async () => drain(await engine.handle(request));
  return async (concurrency, total) => {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let done = 0; done < total; done += concurrency) await Promise.all(Array.from({ length: concurrency }, one));
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - started) / 1000 / total, cpu: (used.user + used.system) / total };
  };
}

/** µs per request: elapsed, and CPU of the process (user + system: the WAL writes are system time). */
interface Sample {
  wall: number;
  cpu: number;
}

async function drain(response: GatewayResponse): Promise<void> {
  const { body } = response;
  if (body === null || body instanceof Uint8Array) return;
  for await (const _chunk of body) {
    // the front door would write the chunk here
  }
}

try {
  const memoryAudit = new MemoryAuditSink();
  const memory = await build({ tokens: new MemoryTokenStore(), rateLimiter: new MemoryRateLimiter(), audit: memoryAudit });
  const store = openSqliteStore(join(folder, "data"));
  const sqlite = await build(store);
  const rounds = quick ? 3 : 6;
  const total = quick ? 3200 : 12800;
  console.log(`pipeline µs per request (elapsed, and CPU), memory vs SQLite ports, ${rounds} alternating rounds of ${total} requests (median shown):`);
  for (const concurrency of [1, 32]) {
    const m: Sample[] = [];
    const s: Sample[] = [];
    await memory(concurrency, 320);
    await sqlite(concurrency, 320);
    for (let r = 0; r < rounds; r++) {
      m.push(await memory(concurrency, total));
      memoryAudit.records.length = 0;
      s.push(await sqlite(concurrency, total));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const kind of ["wall", "cpu"] as const) {
      const [mm, sm] = [median(m.map((x) => x[kind])), median(s.map((x) => x[kind]))];
      console.log(
        `  @${String(concurrency).padStart(2)} ${kind.padEnd(4)}: memory ${mm.toFixed(1)} µs, SQLite ${sm.toFixed(1)} µs (+${(sm - mm).toFixed(1)} µs), ratio SQLite/memory ${(mm / sm).toFixed(2)}x`,
      );
    }
  }
  store.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
