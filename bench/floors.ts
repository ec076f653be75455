// `node cli/run-ts.mjs bench/floors.ts [rounds=3] [seconds=4]`: where gatehouse's distance from the
// bare proxy lies. Runs, interleaved round by round (the order reversed every other round, so all
// see the same noise): the bare proxy; **door only** (servers/door-only-server.ts: gatehouse's Node
// front door and upstream client with no policy between them); **SQLite floor** (the same server
// given a data folder: door only plus the SQLite store's two commits per request, its rate-limit
// count before forwarding and its audit record before the response ends); gatehouse on memory;
// gatehouse on SQLite. Prints medians of req/s, CPU µs per request, p50 and p99, each
// one's ratio to the bare proxy and the p99 it adds over it at 1 and 32 connections, and each
// server's peak RSS over the whole run. Door only against bare is what the door and the
// client cost, gatehouse on memory against door only what the policy costs, and the SQLite floor
// is the most gatehouse's door can reach on that store with those two commits on the request path.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureLoad } from "./load/measure-load.ts";
import { NODE_WARMUP_SECONDS } from "./load/warm-up.ts";
import { median } from "./micro/measure.ts";
import { startServerChild } from "./process/start-child.ts";
import { readCpuTotals, stealLabel, stealPercent } from "./process/read-cpu.ts";
import { readMemory } from "./process/read-memory.ts";
import { startNodeTarget, startUpstream, type LoadTarget, type NodeTargetName } from "./start-targets.ts";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../cli/server-heap.ts";

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 4);
const CONNECTIONS = [1, 32] as const;
const work = mkdtempSync(join(tmpdir(), "gatehouse-floors-"));
const upstream = await startUpstream();
const origin = `http://127.0.0.1:${upstream.ready.port}`;

/** A floor server as a load target (its name is only printed). */
async function startFloor(name: string, script: string, args: string[]): Promise<LoadTarget> {
  const child = await startServerChild<{ port: number }>(script, [origin, ...args], {
    nodeFlags: ["--expose-gc", ...SERVER_NODE_FLAGS],
    env: { ...process.env, ...SERVER_ENV },
  });
  return {
    name: name as LoadTarget["name"],
    url: `http://127.0.0.1:${child.ready.port}/v1/items/42`,
    headers: {},
    pid: child.pid,
    withChildren: false,
    idleKb: readMemory(child.pid)?.currentKb ?? 0,
    stop: () => child.stop(),
    finalLines: () => child.lines,
  };
}

/** One of the gatehouse or bare-proxy targets the main bench also runs. */
async function startNode(name: NodeTargetName): Promise<LoadTarget> {
  const started = await startNodeTarget(name, origin, work);
  if ("reason" in started) throw new Error(`${name}: ${started.reason}`);
  return started;
}

const targets: LoadTarget[] = [];
try {
  // In the order printed: each floor beside what it bounds.
  targets.push(await startNode("bare-node"));
  targets.push(await startFloor("door only", "servers/door-only-server.ts", []));
  targets.push(await startNode("gatehouse-memory"));
  targets.push(await startFloor("SQLite floor", "servers/door-only-server.ts", [join(work, "data-floor")]));
  targets.push(await startNode("gatehouse-sqlite"));
  // Warm-up: every server JIT-compiled and its pools filled before anything counts.
  for (const target of targets)
    await measureLoad(target, { generator: "wrk", url: target.url, headers: target.headers, connections: 32, seconds: NODE_WARMUP_SECONDS });
  const cpuAtStart = readCpuTotals();
  const samples = new Map<string, { rps: number[]; cpu: number[]; p50: number[]; p99: number[] }>();
  for (let round = 0; round < rounds; round++) {
    for (const connections of CONNECTIONS) {
      for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
        const load = await measureLoad(target, { generator: "wrk", url: target.url, headers: target.headers, connections, seconds });
        if (load.errors + load.non2xx > 0) throw new Error(`${target.name} @${connections}: ${load.errors} errors, ${load.non2xx} non-2xx`);
        const key = `${target.name}@${connections}`;
        const entry = samples.get(key) ?? { rps: [], cpu: [], p50: [], p99: [] };
        entry.rps.push(load.requestsPerSecond);
        entry.cpu.push(load.cpuUsPerRequest ?? Number.NaN);
        entry.p50.push(load.p50Ms);
        entry.p99.push(load.p99Ms);
        samples.set(key, entry);
      }
    }
  }
  const steal = stealPercent(cpuAtStart, readCpuTotals());
  console.log(`${rounds} interleaved rounds of ${seconds} s (medians), wrk, 1 KB upstream on loopback`);
  console.log(`CPU time stolen by the hypervisor over the rounds: ${stealLabel(steal)}`);
  for (const connections of CONNECTIONS) {
    const bare = samples.get(`bare-node@${connections}`)!;
    for (const target of targets) {
      const { rps, cpu, p50, p99 } = samples.get(`${target.name}@${connections}`)!;
      const ratio = (median(rps) / median(bare.rps)).toFixed(2);
      const added = (median(p99) - median(bare.p99)).toFixed(2);
      console.log(
        `${target.name.padEnd(17)} @${String(connections).padStart(2)}c  req/s ${median(rps).toFixed(0).padStart(6)}  ${ratio}x bare  CPU ${median(cpu).toFixed(0).padStart(4)} µs/req  p50 ${median(p50).toFixed(2)}  p99 ${median(p99).toFixed(2)} ms (${added} added)`,
      );
    }
  }
  // Read before the servers stop: VmHWM, the peak resident set since each started (warm-up included).
  for (const target of targets) console.log(`${target.name.padEnd(17)} peak RSS ${((readMemory(target.pid)?.peakKb ?? 0) / 1024).toFixed(0)} MB`);
} finally {
  for (const target of targets) await target.stop();
  await upstream.stop();
  rmSync(work, { recursive: true, force: true });
}
