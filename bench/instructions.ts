// `node cli/run-ts.mjs bench/instructions.ts [requests=6000] [connections=32] [targets]`: machine instructions per
// request of the bare proxy and of gatehouse on memory and SQLite, counted by valgrind's callgrind
// (every thread of the server process: the main thread, V8's GC helpers, libuv's pool). Unlike
// req/s and CPU time, the count does not depend on what else the machine is doing; it still varies
// from run to run with when V8 collects and compiles (gatehouse-memory, same code, three runs:
// 436k, 472k, 530k), so only a difference well beyond that spread, seen in repeated runs, means
// anything. Each server is warmed with the same
// requests first, then its counters are zeroed (`callgrind_control --zero`), `requests` requests
// are made at `connections` in flight, and the counters are dumped.
// Needs valgrind (Debian's package); the servers run about 50x slower under it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { startNodeTarget, startUpstream, type NodeTargetName } from "./start-targets.ts";

const requests = Number(process.argv[2] ?? 6000);
const connections = Number(process.argv[3] ?? 32);
const targets: NodeTargetName[] = (process.argv[4]?.split(",") as NodeTargetName[] | undefined) ?? ["bare-node", "gatehouse-memory", "gatehouse-sqlite"];
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

/** The `totals:` (or `summary:`) instruction count of the newest callgrind dump file `prefix.*`. */
function dumpedInstructions(prefix: string): number {
  const files = readdirSync(workDir).filter((f) => f.startsWith(prefix) && /\.\d+$/.test(f));
  const newest = files.sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop())).pop();
  if (!newest) throw new Error(`no callgrind dump named ${prefix}.*`);
  const text = readFileSync(join(workDir, newest), "utf8");
  const total = /^(?:totals|summary): (\d+)/m.exec(text);
  if (!total) throw new Error(`${newest}: no totals line`);
  return Number(total[1]);
}

const upstream = await startUpstream();
const results: Array<{ name: NodeTargetName; perRequest: number }> = [];
try {
  for (const name of targets) {
    const prefix = `callgrind.${name}`;
    const wrapper = ["valgrind", "--tool=callgrind", `--callgrind-out-file=${join(workDir, prefix)}`, "--dump-instr=no"];
    const target = await startNodeTarget(name, `http://127.0.0.1:${upstream.ready.port}`, workDir, { wrapper });
    if ("reason" in target) throw new Error(`${name}: ${target.reason}`);
    try {
      // Fewer warm-up requests than this left JIT tier-up inside the counted window (305k vs 389k for the same bare proxy).
      await load(target.url, target.headers, Math.max(3000, requests / 2), connections);
      execFileSync("callgrind_control", ["--zero", String(target.pid)], { stdio: "ignore" });
      await load(target.url, target.headers, requests, connections);
      execFileSync("callgrind_control", ["--dump", String(target.pid)], { stdio: "ignore" });
      const perRequest = dumpedInstructions(prefix) / requests;
      results.push({ name, perRequest });
      process.stderr.write(`${name}: ${Math.round(perRequest / 1000)}k instructions per request\n`);
    } finally {
      await target.stop();
    }
  }
} finally {
  await upstream.stop();
  rmSync(workDir, { recursive: true, force: true });
}

const bare = results.find((r) => r.name === "bare-node");
console.log(`instructions per request (callgrind, ${requests} requests at ${connections} in flight, after warm-up):`);
for (const { name, perRequest } of results)
  console.log(
    `  ${name.padEnd(17)} ${String(Math.round(perRequest / 1000)).padStart(5)}k${bare && name !== "bare-node" ? `  ${(perRequest / bare.perRequest).toFixed(2)}x bare-node` : ""}`,
  );
