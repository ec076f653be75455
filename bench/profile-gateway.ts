import { copyFileSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad, type LoadGenerator } from "./load/run-load.ts";
import { formatProfileSummary, summarizeCpuProfile, type CpuProfile } from "./profile-summary.ts";
import { startGatehouse } from "./start-targets.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/**
 * Profiles a fresh gatehouse-memory process (`node --cpu-prof`) under the same load as the
 * measured runs, then summarises self time. A separate process, so the profiler's overhead never
 * touches the reported figures.
 */
export async function profileGateway(options: {
  upstreamOrigin: string;
  workDir: string;
  generator: LoadGenerator;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Where the .cpuprofile is kept after the run (the work dir is removed). */
  keepAs: string;
}): Promise<string[]> {
  const dir = join(options.workDir, "cpu-profile");
  const started = await startGatehouse("gatehouse-memory", options.upstreamOrigin, options.workDir, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200"]);
  if ("reason" in started) return [`profile not taken: ${started.reason}`];
  let load;
  try {
    if (options.warmupSeconds > 0) await runLoad({ generator: options.generator, url: started.url, headers: started.headers, connections: options.connections, seconds: options.warmupSeconds });
    load = await runLoad({ generator: options.generator, url: started.url, headers: started.headers, connections: options.connections, seconds: options.seconds });
  } finally {
    await started.stop();
  }
  const file = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort().at(-1);
  if (!file) return ["profile not taken: the gateway wrote no .cpuprofile"];
  copyFileSync(join(dir, file), options.keepAs);
  const profile = JSON.parse(readFileSync(options.keepAs, "utf8")) as CpuProfile;
  return [
    `gatehouse-memory under ${options.generator} @${options.connections}c for ${options.seconds} s (profiled, so slower: ${load.requestsPerSecond.toFixed(0)} req/s)`,
    ...formatProfileSummary(summarizeCpuProfile(profile, ROOT, 25)),
    `profile file: ${relative(ROOT, options.keepAs)} (open in Chrome DevTools > Performance; not committed)`,
  ];
}
