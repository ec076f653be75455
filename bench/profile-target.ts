import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad, type LoadGenerator } from "./load/run-load.ts";
import { NODE_WARMUP_SECONDS } from "./load/warm-up.ts";
import { formatProfileSummary, summarizeCpuProfile, type CpuProfile } from "./profile-summary.ts";
import { startNodeTarget, type NodeTargetName } from "./start-targets.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/**
 * Profiles a fresh process of `name` under the same load as the measured runs and summarises
 * self time. V8's sampling profiler (the one behind `node --cpu-prof`) is started after the
 * warm-up and stopped after the window, so only request handling is sampled. A separate
 * process, so the profiler's overhead never touches the reported figures.
 */
export async function profileTarget(
  name: NodeTargetName,
  options: { upstreamOrigin: string; workDir: string; generator: LoadGenerator; connections: number; warmupSeconds: number; seconds: number; keepAs: string },
): Promise<string[]> {
  const started = await startNodeTarget(name, options.upstreamOrigin, options.workDir, { profileFile: options.keepAs });
  if ("reason" in started) return [`profile not taken: ${started.reason}`];
  let load;
  try {
    const spec = { generator: options.generator, url: started.url, headers: started.headers, connections: options.connections };
    // Module loading and JIT warm-up happen here, before the profiler starts.
    await runLoad({ ...spec, seconds: Math.max(NODE_WARMUP_SECONDS, options.warmupSeconds) });
    process.kill(started.pid, "SIGUSR2");
    await started.waitForLine((line) => line.includes('"profiling"'), 5000);
    load = await runLoad({ ...spec, seconds: options.seconds });
  } finally {
    await started.stop();
  }
  if (!existsSync(options.keepAs)) return ["profile not taken: the server wrote no profile"];
  const profile = JSON.parse(readFileSync(options.keepAs, "utf8")) as CpuProfile;
  return [
    `${name} (unbundled, via tsx) under ${options.generator} @${options.connections}c for ${options.seconds} s after warm-up: ${load.requestsPerSecond.toFixed(0)} req/s while sampled every 200 µs`,
    ...formatProfileSummary(summarizeCpuProfile(profile, ROOT, 20)),
    `profile file: ${relative(ROOT, options.keepAs)} (open in Chrome DevTools > Performance; not committed)`,
  ];
}
