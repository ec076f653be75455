// `node cli/run-ts.mjs bench/instructions.ts [requests=4000] [connections=32] [targets] [warm-up=12000]`:
// machine instructions per request of the bare proxy and of gatehouse on memory and SQLite,
// counted by valgrind's callgrind, for the server's main thread and for its other threads (V8's
// compiler and GC helpers, libuv's pool) apart. Unlike req/s and CPU time, the count does not
// depend on what else the machine is doing. Each server is warmed with `warm-up` requests first,
// then its counters are zeroed (`callgrind_control --zero`), `requests` requests are made at
// `connections` in flight, and the counters are dumped. The warm-up matters: V8 goes on compiling
// long after a server first answers, and a compile is millions of instructions on a helper
// thread. After 3,000 requests (this script's earlier warm-up) the bare proxy counted 319k per
// request and gatehouse 346k and 374k in two runs; after 12,000, 232k and 294k, of which the main
// threads 190k and 211k and the compiler threads 40k and 81k (2026-12-04). Under wrk, compiles
// die down to a few a second after about 100,000 requests, which valgrind (about 50x slower)
// cannot reach in reasonable time, so the other threads' share still holds compiles: compare main
// threads for what a request costs once the code is compiled.
// Needs valgrind (Debian's package); each server takes a few minutes under it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { startNodeTarget, startUpstream, type NodeTargetName } from "./start-targets.ts";

const requests = Number(process.argv[2] ?? 6000);
const connections = Number(process.argv[3] ?? 32);
const targets: NodeTargetName[] = (process.argv[4]?.split(",") as NodeTargetName[] | undefined) ?? ["bare-node", "gatehouse-memory", "gatehouse-sqlite"];
const warmUp = Number(process.argv[5] ?? 12_000);
const workDir = mkdtempSync(join(tmpdir(), "gatehouse-instructions-"));

/** Makes exactly `count` GET requests with `inFlight` at a time; throws on any status but 200. */
async function load(url: string, headers: Record<string, string>, count: number, inFlight: number): Promise<void> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: inFlight });
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const { statusCode, body } = await pool.request({ path: target.pathname, method: "GET", headers });
      await body.arrayBuffer();
      if (statusCode !== 200) throw new Error(`${url}: status ${statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await pool.close();
}

/** Instructions of the newest callgrind dump `prefix.<dump>-<thread>`: thread 1 (the main thread) and the rest. */
function dumpedInstructions(prefix: string): { main: number; others: number } {
  const dumps = readdirSync(workDir)
    .filter((f) => f.startsWith(prefix))
    .map((f) => ({ f, m: /^\.(\d+)-(\d+)$/.exec(f.slice(prefix.length)) }))
    .filter((d): d is { f: string; m: RegExpExecArray } => d.m !== null);
  const newest = Math.max(...dumps.map((d) => Number(d.m[1])));
  if (!Number.isFinite(newest)) throw new Error(`no callgrind dump named ${prefix}.<n>-<thread>`);
  let main = 0;
  let others = 0;
  for (const { f, m } of dumps.filter((d) => Number(d.m[1]) === newest)) {
    const total = /^(?:totals|summary): (\d+)/m.exec(readFileSync(join(workDir, f), "utf8"));
    if (!total) throw new Error(`${f}: no totals line`);
    if (Number(m[2]) === 1) main += Number(total[1]);
    else others += Number(total[1]);
  }
  return { main, others };
}

const upstream = await startUpstream();
const results: Array<{ name: NodeTargetName; main: number; others: number }> = [];
try {
  for (const name of targets) {
    const prefix = `callgrind.${name}`;
    const wrapper = ["valgrind", "--tool=callgrind", "--separate-threads=yes", `--callgrind-out-file=${join(workDir, prefix)}`, "--dump-instr=no"];
    const target = await startNodeTarget(name, `http://127.0.0.1:${upstream.ready.port}`, workDir, { wrapper });
    if ("reason" in target) throw new Error(`${name}: ${target.reason}`);
    try {
      await load(target.url, target.headers, warmUp, connections);
      execFileSync("callgrind_control", ["--zero", String(target.pid)], { stdio: "ignore" });
      await load(target.url, target.headers, requests, connections);
      execFileSync("callgrind_control", ["--dump", String(target.pid)], { stdio: "ignore" });
      const { main, others } = dumpedInstructions(prefix);
      results.push({ name, main: main / requests, others: others / requests });
      process.stderr.write(`${name}: ${Math.round((main + others) / requests / 1000)}k instructions per request\n`);
    } finally {
      await target.stop();
    }
  }
} finally {
  await upstream.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const bare = results.find((r) => r.name === "bare-node");
const k = (n: number) => `${String(Math.round(n / 1000)).padStart(5)}k`;
const ratio = (n: number, of: number | undefined) => (of === undefined ? "      " : ` ${(n / of).toFixed(2)}x`);
console.log(`instructions per request (callgrind, ${requests} requests at ${connections} in flight, after ${warmUp} warm-up requests):`);
console.log(`  ${"".padEnd(17)}   main thread        other threads      all`);
for (const r of results) {
  const x = bare && r.name !== "bare-node";
  console.log(
    `  ${r.name.padEnd(17)} ${k(r.main)}${ratio(r.main, x ? bare.main : undefined)}   ${k(r.others)}${ratio(r.others, x ? bare.others : undefined)}   ${k(r.main + r.others)}${ratio(r.main + r.others, x ? bare.main + bare.others : undefined)}`,
  );
}
