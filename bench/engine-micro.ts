// The in-process microbenchmarks: the engine pipeline per request, the SSRF guard's check on
// the cached-DNS path, and response secret scrubbing, each against a baseline timed in the same run.
// Usage: node cli/run-ts.mjs bench/engine-micro.ts [--ms 400] [--rounds 5] [--json]
import { parseArgs } from "node:util";
import { formatMicro, type MicroSection } from "./format-report.ts";
import { engineCases } from "./micro/engine-cases.ts";
import { measureCases } from "./micro/measure.ts";
import { scrubCases } from "./micro/scrub-cases.ts";
import { ssrfCases } from "./micro/ssrf-cases.ts";

/** Runs both microbenchmarks; `roundMs` per case per round, cases interleaved. */
export async function runMicroBenchmarks(options: { roundMs: number; rounds: number }): Promise<MicroSection[]> {
  const timing = { warmupMs: Math.max(200, options.roundMs), roundMs: options.roundMs, rounds: options.rounds };
  const engine = await engineCases();
  const engineLines = await measureCases(engine.cases, { ...timing, every4096: engine.trim });
  const ssrf = await ssrfCases();
  const ssrfLines = await measureCases(ssrf.cases, timing);
  const scrub = scrubCases();
  const scrubLines = await measureCases(scrub.cases, timing);
  const base = engineLines[0]!;
  const full = engineLines[1]!;
  return [
    {
      title: "Engine microbenchmark (per request, in-process)",
      lines: engineLines,
      notes: [`pipeline cost over the baseline: ${(full.usPerOp - base.usPerOp).toFixed(2)} µs/request`, ...engine.notes],
    },
    { title: "SSRF guard, cached-DNS path (per check)", lines: ssrfLines, notes: ssrf.notes },
    {
      title: "Secret scrubbing of response bodies (per response)",
      lines: scrubLines,
      notes: [
        `1 KB: ${(scrubLines[1]!.usPerOp - scrubLines[0]!.usPerOp).toFixed(2)} µs over the baseline; 1 MB: ${(scrubLines[3]!.usPerOp - scrubLines[2]!.usPerOp).toFixed(1)} µs over the baseline`,
        ...scrub.notes,
      ],
    },
  ];
}

const isMain = process.argv[1]?.endsWith("engine-micro.ts");
if (isMain) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { ms: { type: "string", default: "400" }, rounds: { type: "string", default: "5" }, json: { type: "boolean", default: false } },
  });
  const sections = await runMicroBenchmarks({ roundMs: Number(values.ms), rounds: Number(values.rounds) });
  if (values.json) process.stdout.write(`${JSON.stringify(sections)}\n`);
  else for (const s of sections) console.log(formatMicro(s).join("\n"));
}
