// `node cli/run-ts.mjs bench/perf-profile.ts [targets] [seconds] [connections=32]`: where each Node target's CPU
// goes per request, kernel and V8 internals included, side by side. Each server runs under
// `perf record -e cpu-clock -g` (Debian's linux-perf; a software clock, so it works where the CPU's
// counters are not exposed) with --perf-basic-prof naming the JIT frames, under wrk -t1 -c32 (or the connections given).
// V8's own sampling profiler (`npm run bench -- --profile`) charges native time to whatever JS frame
// was on top (writev looked like a quarter of all time); perf sees the real stacks. Prints, per
// symbol, inclusive and self microseconds per request on the main thread, and the V8 worker threads'
// total (concurrent marking, parallel scavenges, background compilation). KEEP=1 keeps the
// perf.data files (their folder is printed) for `perf report -i <file>`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLoad } from "./load/run-load.ts";
import { startNodeTarget, startUpstream, type NodeTargetName } from "./start-targets.ts";

const targets = (process.argv[2]?.split(",") ?? ["bare-node", "gatehouse-memory"]) as NodeTargetName[];
const seconds = Number(process.argv[3] ?? 8);
const connections = Number(process.argv[4] ?? 32);
const SAMPLE_HZ = 2000;
const workDir = mkdtempSync(join(tmpdir(), "gatehouse-perf-"));

/** Inclusive and self samples per symbol of one thread name, from `perf report --children`. */
function samplesBySymbol(file: string, comm: string): { total: number; symbols: Map<string, { inclusive: number; self: number }> } {
  const text = execFileSync("perf", ["report", "-i", file, "--children", "--comm", comm, "--sort", "sym", "-n", "-q", "--stdio", "-g", "none"], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const rows = [...text.matchAll(/^\s*([\d.]+)%\s+[\d.]+%\s+(\d+)\s+\[[.k]\]\s+(.+?)\s*$/gm)];
  const total = Number(
    execFileSync("perf", ["report", "-i", file, "--no-children", "--comm", comm, "--sort", "comm", "-n", "-q", "--stdio", "-g", "none"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).match(/^\s*[\d.]+%\s+(\d+)/m)?.[1] ?? 0,
  );
  const symbols = new Map<string, { inclusive: number; self: number }>();
  for (const [, percent, self, name] of rows) {
    // JIT frames carry the bundle's file URL and line; the function name is what compares across builds.
    const key = name!.replace(/\s*file:\/\/\S+/, "");
    if (!symbols.has(key)) symbols.set(key, { inclusive: (Number(percent) / 100) * total, self: Number(self) });
  }
  return { total, symbols };
}

const upstream = await startUpstream();
const profiles: Array<{ name: NodeTargetName; requests: number; main: ReturnType<typeof samplesBySymbol>; workers: number }> = [];
try {
  for (const name of targets) {
    const file = join(workDir, `${name}.perf`);
    process.env.NODE_OPTIONS = "--perf-basic-prof";
    const wrapper = ["perf", "record", "-q", "-e", "cpu-clock", "-F", String(SAMPLE_HZ), "-g", "-o", file, "--"];
    const target = await startNodeTarget(name, `http://127.0.0.1:${upstream.ready.port}`, workDir, { wrapper });
    delete process.env.NODE_OPTIONS;
    if ("reason" in target) throw new Error(`${name}: ${target.reason}`);
    // Recorded from start-up: the warm-up's requests are counted too, so start-up is spread thin.
    const warm = await runLoad({ generator: "wrk", url: target.url, headers: target.headers, connections, seconds: 3 });
    const load = await runLoad({ generator: "wrk", url: target.url, headers: target.headers, connections, seconds });
    await target.stop();
    const workers = samplesBySymbol(file, "V8Worker").total;
    profiles.push({ name, requests: warm.requests + load.requests, main: samplesBySymbol(file, "MainThread"), workers });
    process.stderr.write(`${name}: ${Math.round(load.requestsPerSecond)} req/s while recorded\n`);
  }
} finally {
  await upstream.stop();
}

const perRequest = (samples: number, requests: number) => ((samples * 1e6) / SAMPLE_HZ / requests).toFixed(1);
console.log(`CPU µs per request (perf, cpu-clock ${SAMPLE_HZ} Hz, wrk -c${connections}, ${seconds} s after 3 s warm-up, start-up included)`);
for (const p of profiles)
  console.log(`  ${p.name}: main thread ${perRequest(p.main.total, p.requests)}, V8 worker threads ${perRequest(p.workers, p.requests)}`);
const last = profiles.at(-1)!;
const ranked = [...last.main.symbols.entries()].sort((a, b) => b[1].inclusive - a[1].inclusive).slice(0, 60);
console.log(`\n${"main-thread symbol (by inclusive time of the last target)".padEnd(72)} ${profiles.map((p) => `${p.name} incl/self`.padStart(26)).join("")}`);
for (const [symbol] of ranked) {
  const cells = profiles.map((p) => {
    const s = p.main.symbols.get(symbol);
    return `${s ? perRequest(s.inclusive, p.requests) : "-"} / ${s ? perRequest(s.self, p.requests) : "-"}`.padStart(26);
  });
  console.log(`${symbol.slice(0, 72).padEnd(72)} ${cells.join("")}`);
}
if (!process.env.KEEP) rmSync(workDir, { recursive: true, force: true });
else console.error(`perf.data files kept in ${workDir}`);
