// `npm run bench`: starts everything on 127.0.0.1 in its own process (upstream, nginx, bare Node
// proxy, gatehouse with memory and SQLite stores), loads each with wrk (or autocannon), and
// prints the table and ratio lines; writes bench/results/<date>-<quick|full>.md.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseBenchArgs, USAGE, type BenchOptions } from "./args.ts";
import { ensureTools } from "./ensure-tools.ts";
import { formatMarkdown, formatMicro, formatTable, type BenchReport, type MicroSection } from "./format-report.ts";
import { lambdaColdStart, lambdaCost } from "./lambda-hook.ts";
import { measureLoad } from "./load/measure-load.ts";
import { runLoad, type LoadGenerator } from "./load/run-load.ts";
import { NODE_WARMUP_SECONDS } from "./load/warm-up.ts";
import { describeMachine } from "./machine.ts";
import { loadAverage, readCpuTotals, stealPercent } from "./process/read-cpu.ts";
import { readMemory } from "./process/read-memory.ts";
import { profileTarget } from "./profile-target.ts";
import { compareRows, ratioLines, renderRatioLine } from "./ratios.ts";
import { startTargets, startUpstream, type LoadTarget } from "./start-targets.ts";
import type { LoadResult, MemoryReading } from "./types.ts";
import { errorMessage } from "../schema/error-message.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  log(`${errorMessage(error)}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const startedAt = Date.now();
/** Above this share of stolen CPU time, the report warns that the host was shared. */
const STEAL_WARNING_PERCENT = 3;
const loadAtStart = loadAverage();
const tools = ensureTools(options.install);
tools.messages.forEach((m) => log(`bench: ${m}`));
const generator: LoadGenerator = options.loadGenerator === "autocannon" || !tools.wrk ? "autocannon" : "wrk";
/** The first, untimed pass of each Node server (see NODE_WARMUP_SECONDS). */
const nodeWarmupSeconds = Math.max(NODE_WARMUP_SECONDS, options.warmupSeconds);
if (options.loadGenerator === "wrk" && !tools.wrk) log("bench: --load wrk asked for, but wrk is unavailable: using autocannon");
const generatorLabel = generator === "wrk" ? "wrk 4.1 (1 thread, --latency)" : "autocannon 8 (Node, 1 worker)";

const workDir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
const running: Array<() => Promise<void>> = [];
const cleanup = async () => {
  for (const stop of running.reverse()) await stop().catch(() => {});
  running.length = 0;
  rmSync(workDir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

try {
  await main();
} finally {
  await cleanup();
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  running.push(() => upstream.stop());
  const upstreamOrigin = `http://127.0.0.1:${upstream.ready.port}`;
  const { targets, unavailable } = await startTargets(options.targets, upstream.ready.port, upstream.pid, tools.nginx, workDir);
  for (const t of targets) running.push(() => t.stop());
  for (const u of unavailable) log(`bench: ${u.target}: ${u.reason}`);

  // Steal is read around the load runs only (not the installs before them, nor the micro or Lambda benches after).
  const cpuAtStart = readCpuTotals();
  const results = await measure(targets);
  const steal = stealPercent(cpuAtStart, readCpuTotals());
  const memory: MemoryReading[] = targets
    .filter((t) => t.name !== "direct")
    .map((t) => ({ target: t.name, peakKb: readMemory(t.pid, t.withChildren)?.peakKb ?? 0, idleKb: t.idleKb }));
  for (const t of targets) await t.stop();
  for (const m of memory) {
    const stats = targets
      .find((t) => t.name === m.target)
      ?.finalLines()
      .map((l) => JSON.parse(l) as { auditRecords?: number | null; auditHeapMb?: number | null; heapUsedMb?: number })
      .findLast((s) => s.auditRecords !== undefined);
    if (stats?.auditRecords != null) {
      m.notes = `MemoryAuditSink retained ${stats.auditRecords.toLocaleString("en-US")} records${stats.auditHeapMb != null ? ` = ${stats.auditHeapMb} MB of the ${stats.heapUsedMb} MB heap at the end` : ""}`;
    }
  }

  const rows = compareRows(results);
  const loadAtEnd = loadAverage();
  const busy = [loadAtStart, loadAtEnd].filter((l): l is number => l !== null && l > availableParallelism());

  const lines = ratioLines(rows, memory);
  const extras: BenchReport["extras"] = [];
  for (const r of rows) {
    if (r.non2xx + r.errors > 0)
      extras.push({
        title: "Warnings",
        lines: [`${r.target} @${r.connections}c: ${r.errors} socket errors, ${r.non2xx} non-2xx responses: its figures include failed requests`],
      });
  }
  if (busy.length) {
    extras.push({
      title: "Warnings",
      lines: [
        `the machine was busy with other work (1-min load average ${loadAtStart} at start, ${loadAtEnd} at end, on ${availableParallelism()} cores): absolute figures are low and noisy; the ratios and CPU per request, measured side by side, hold better`,
      ],
    });
  }
  if (steal !== null && steal > STEAL_WARNING_PERCENT) {
    extras.push({
      title: "Warnings",
      lines: [
        `the hypervisor took ${steal.toFixed(1)}% of this machine's CPU time during the load runs (steal): other guests share the host, absolute figures are low and noisy, and work heavy in system calls (each response's write, SQLite's commits) suffers more than the rest, so even the ratios lean`,
      ],
    });
  }
  if (unavailable.length) extras.push({ title: "Not measured", lines: unavailable.map((u) => `${u.target}: ${u.reason}`) });

  const missed = lines.some((l) => l.met === false);
  if (options.profile === "on" || (options.profile === "auto" && missed && options.targets.includes("gatehouse-memory"))) {
    const connections = Math.max(...options.connections);
    mkdirSync(resolve(ROOT, options.outDir), { recursive: true });
    // bare-node is profiled too: what gatehouse spends beyond it is the difference of the two.
    for (const name of ["gatehouse-memory", "gatehouse-sqlite", "bare-node"] as const) {
      log(`bench: profiling ${name} @${connections}c${missed ? " (a target was missed)" : ""}...`);
      const keepAs = resolve(ROOT, options.outDir, `${dateStamp()}-${options.mode}-${name}.cpuprofile`);
      const profileLines = await profileTarget(name, {
        upstreamOrigin,
        workDir,
        generator,
        connections,
        warmupSeconds: options.warmupSeconds,
        seconds: options.durationSeconds,
        keepAs,
      }).catch((error: unknown) => [`profile failed: ${errorMessage(error)}`]);
      extras.push({ title: `CPU profile of ${name} under load`, lines: profileLines });
    }
  }
  if (missed && options.profile === "off")
    log("bench: a target was missed; `npm run bench -- --quick --profile` adds CPU profiles of gatehouse-memory and bare-node");
  await upstream.stop();

  const micro = options.micro ? await runMicro() : [];
  if (options.lambda) {
    const lambda = await lambdaColdStart({ quick: options.mode === "quick" });
    extras.push({ title: "Lambda cold start (bench/lambda-cold-start.ts)", lines: lambda.lines });
    const cost = await lambdaCost({ quick: options.mode === "quick" });
    extras.push({ title: "What a request costs on AWS (bench/lambda-cost.ts)", lines: cost.lines });
  }

  const report: BenchReport = {
    date: new Date(startedAt).toISOString().replace(/\.\d+Z$/, "Z"),
    mode: options.mode,
    settings: `${generatorLabel}; every Node server first warmed for ${nodeWarmupSeconds} s at ${Math.max(...options.connections)} connections, then ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per run; ${options.rounds} interleaved round(s), averaged; connections ${options.connections.join(", ")}; upstream: node:http, fixed 1 KB JSON, keep-alive`,
    machine: describeMachine(tools.nginx, generatorLabel, `${loadAtStart ?? "?"} / ${loadAtEnd ?? "?"}`, steal),
    rows,
    memory,
    unavailable,
    lines,
    micro,
    extras,
  };
  printReport(report);
  const outDir = resolve(ROOT, options.outDir);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${dateStamp()}-${options.mode}.md`);
  writeFileSync(file, formatMarkdown(report));
  console.log(`\nreport written to ${relative(process.cwd(), file)} (${((Date.now() - startedAt) / 1000).toFixed(0)} s in all)`);
}

/** Every (round, connections, target) run, targets in a rotating order so none always goes first. */
async function measure(targets: LoadTarget[]): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  // One untimed pass per Node server at the most connections first: a 1-connection warm-up of a
  // second sends too few requests for V8 to optimise a Node server, which would penalise
  // whichever target happens to be measured first (see NODE_WARMUP_SECONDS). direct and nginx
  // compile nothing, and the upstream they measure is warmed by the bare proxy's pass.
  const most = Math.max(...options.connections);
  for (const t of targets) {
    if (t.name === "direct" || t.name === "nginx") continue;
    await runLoad({ generator, url: t.url, headers: t.headers, connections: most, seconds: nodeWarmupSeconds }).catch((error: unknown) =>
      log(`bench: ${t.name} warm-up failed: ${errorMessage(error)}`),
    );
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const connections of options.connections) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const t of order) {
        const spec = { generator, url: t.url, headers: t.headers, connections };
        try {
          if (options.warmupSeconds > 0) await runLoad({ ...spec, seconds: options.warmupSeconds });
          const n = await measureLoad(t, { ...spec, seconds: options.durationSeconds });
          const { cpuUsPerRequest } = n;
          results.push({ target: t.name, connections, ...n });
          log(
            `bench: round ${round + 1}/${options.rounds} ${t.name.padEnd(18)} @${String(connections).padStart(2)}c  ${n.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${n.p50Ms.toFixed(2)} ms  p99 ${n.p99Ms.toFixed(2)} ms  cpu ${cpuUsPerRequest?.toFixed(0) ?? "-"} µs/req`,
          );
        } catch (error) {
          log(`bench: ${t.name} @${connections}c failed: ${errorMessage(error)}`);
        }
      }
    }
  }
  return results;
}

/** The microbenchmarks in their own process, so the harness's heap and timers stay out of them. */
async function runMicro(): Promise<MicroSection[]> {
  const [ms, rounds] = options.mode === "quick" ? ["150", "3"] : ["400", "5"];
  log("bench: engine and SSRF microbenchmarks...");
  const child = spawn(process.execPath, [join(ROOT, "cli/run-ts.mjs"), join(ROOT, "bench/engine-micro.ts"), "--json", "--ms", ms, "--rounds", rounds], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((done) => child.once("close", done));
  const last = out.trim().split("\n").at(-1);
  if (code !== 0 || !last) return [{ title: "Engine microbenchmark", lines: [], notes: [`failed (exit ${code})`] }];
  return JSON.parse(last) as MicroSection[];
}

function printReport(report: BenchReport): void {
  const m = report.machine;
  console.log(`\nGatehouse bench (${report.mode}) on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb.toFixed(0)} GiB, Node ${m.node}, ${m.nginx}`);
  console.log(`${report.settings}\n`);
  console.log(formatTable(report.rows, report.memory));
  console.log("");
  for (const line of report.lines) console.log(renderRatioLine(line));
  for (const section of report.micro) console.log(`\n${formatMicro(section).join("\n")}`);
  for (const extra of report.extras) console.log(`\n${extra.title}\n${extra.lines.map((l) => `  ${l}`).join("\n")}`);
}

function dateStamp(): string {
  return new Date(startedAt).toISOString().slice(0, 10);
}
