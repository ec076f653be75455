// `npm run bench:ab -- <commit> [gatehouse-sqlite|gatehouse-memory] [rounds] [seconds]`: the
// working tree's gatehouse server against the same server built from an earlier commit, under the
// same load, interleaved round by round (the order swapped every round), so both see the same
// noise of a shared machine. Prints medians per side at 1 and 32 connections (req/s, p99, CPU
// µs per request), the peak RSS and, for the SQLite store, the WAL files left at the end. The
// commit is checked out with `git worktree` under .tmp/ (inside the repository, git-ignored) and
// removed afterwards; its bench must have `startNodeTarget(name, origin, workDir)` (since 3902e42).
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { measureLoad } from "./load/measure-load.ts";
import { NODE_WARMUP_SECONDS } from "./load/warm-up.ts";
import { median } from "./micro/measure.ts";
import { checkoutCommit } from "./process/commit-worktree.ts";
import { readCpuTotals, stealLabel, stealPercent } from "./process/read-cpu.ts";
import { readMemory } from "./process/read-memory.ts";
import { startNodeTarget, startUpstream, type LoadTarget } from "./start-targets.ts";

const USAGE = "usage: npm run bench:ab -- <commit> [gatehouse-sqlite|gatehouse-memory] [rounds=6] [seconds=4]";
const [commit, kind = "gatehouse-sqlite", roundsArg = "6", secondsArg = "4"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
if (!commit || (kind !== "gatehouse-sqlite" && kind !== "gatehouse-memory") || !(rounds >= 1) || !(seconds >= 1)) {
  console.error(USAGE);
  process.exit(2);
}

/** One measured run of one side. */
interface Sample {
  requestsPerSecond: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  failed: number;
}

const checkout = checkoutCommit(commit, "ab");
const { sha, tree } = checkout;
const work = mkdtempSync(join(tmpdir(), "gatehouse-ab-commit-"));

const stops: Array<() => Promise<void>> = [];
try {
  const earlier = (await import(pathToFileURL(join(tree, "bench", "start-targets.ts")).href)) as { startNodeTarget: typeof startNodeTarget };
  const upstream = await startUpstream();
  stops.push(() => upstream.stop());
  const origin = `http://127.0.0.1:${upstream.ready.port}`;
  const sides: Array<[string, LoadTarget]> = [];
  for (const [label, start] of [
    [sha, earlier.startNodeTarget],
    ["working tree", startNodeTarget],
  ] as const) {
    const target = await start(kind, origin, join(work, label === sha ? "before" : "after"));
    if ("reason" in target) throw new Error(`${label}: ${target.reason}`);
    stops.push(() => target.stop());
    sides.push([label, target]);
  }
  for (const [, target] of sides) await measure(target, 32, NODE_WARMUP_SECONDS);
  const samples = new Map<string, Sample[]>();
  const cpuAtStart = readCpuTotals();
  for (let round = 0; round < rounds; round++) {
    for (const connections of [1, 32]) {
      for (const [label, target] of round % 2 === 0 ? sides : [...sides].reverse()) {
        const key = `${label} @${connections}c`;
        samples.set(key, [...(samples.get(key) ?? []), await measure(target, connections, seconds)]);
      }
    }
  }
  const steal = stealPercent(cpuAtStart, readCpuTotals());
  console.log(`${kind}: ${sha} against the working tree, ${rounds} interleaved rounds of ${seconds} s (medians)`);
  console.log(`CPU time stolen by the hypervisor over the rounds: ${stealLabel(steal)}`);
  for (const [key, list] of samples) {
    const rps = list.map((s) => s.requestsPerSecond);
    console.log(
      `${key.padEnd(22)} req/s ${Math.round(median(rps))} (${rps.join(" ")})  p99 ${median(list.map((s) => s.p99Ms)).toFixed(2)} ms` +
        `  CPU ${Math.round(median(list.map((s) => s.cpuUsPerRequest)))} µs/req  failed ${list.reduce((n, s) => n + s.failed, 0)}`,
    );
  }
  for (const [label, target] of sides) console.log(`${label}: peak RSS ${Math.round((readMemory(target.pid)?.peakKb ?? 0) / 1024)} MB`);
  if (kind === "gatehouse-sqlite") for (const file of walFiles(work)) console.log(`WAL at the end: ${file.name} ${(file.bytes / 1048576).toFixed(1)} MB`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
  checkout.remove();
}

async function measure(target: LoadTarget, connections: number, runSeconds: number): Promise<Sample> {
  const load = await measureLoad(target, { generator: "wrk", url: target.url, headers: target.headers, connections, seconds: runSeconds });
  return {
    requestsPerSecond: Math.round(load.requestsPerSecond),
    p99Ms: load.p99Ms,
    cpuUsPerRequest: Math.round(load.cpuUsPerRequest ?? 0),
    failed: load.errors + load.non2xx,
  };
}

/** The `-wal` files under the run's folder (one data folder per side). */
function walFiles(folder: string): Array<{ name: string; bytes: number }> {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith("-wal"))
    .map((name) => ({ name, bytes: statSync(join(folder, name)).size }));
}
