import type { ColdStartReport } from "./lambda-cold-start.ts";
import { errorMessage } from "../schema/error-message.ts";

/** The Lambda cold-start figures as report lines; `available` is false when they could not be had. */
export interface LambdaFigures {
  available: boolean;
  lines: string[];
}

/** The cold-start report as lines: bundle size and its biggest parts, then the median cold init beside the SDK-only baseline's. */
export function describeColdStart(report: ColdStartReport): string[] {
  const m = report.median;
  const b = report.baseline.median;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return [
    `bundle: ${report.bundleBytes} bytes = ${kib(report.bundleBytes)} (sha256 ${report.bundleSha256.slice(0, 12)}), esbuild build ${report.buildMs.toFixed(0)} ms`,
    `biggest parts (esbuild metafile): ${report.contributors
      .slice(0, 8)
      .map((c) => `${c.name} ${kib(c.bytes)}`)
      .join(", ")}`,
    `cold init (median of ${report.samples.length} fresh ${report.node} processes): ${m.coldInitMs.toFixed(0)} ms = import ${m.importMs.toFixed(0)} ms + first request ${m.firstRequestMs.toFixed(0)} ms`,
    `@aws-sdk/client-dynamodb alone (${kib(report.baseline.bundleBytes)}, one GetItem), same runs: import ${b.importMs.toFixed(0)} ms + first request ${b.firstRequestMs.toFixed(0)} ms; gateway import ${report.importRatio.toFixed(2)}x the SDK's (target at most 1.5x)`,
    "Lambda's own sandbox and runtime start are not included; dynalite and a loopback upstream stand in for AWS",
  ];
}

/**
 * Calls `measureLambdaColdStart` of bench/lambda-cold-start.ts (another engineer's module),
 * imported at run time so a failure there costs this one section, not the whole bench run.
 */
export async function lambdaColdStart(options: { quick: boolean }): Promise<LambdaFigures> {
  try {
    const { measureLambdaColdStart } = await import("./lambda-cold-start.ts");
    return { available: true, lines: describeColdStart(await measureLambdaColdStart({ quick: options.quick })) };
  } catch (error) {
    return { available: false, lines: [`not measured: bench/lambda-cold-start.ts failed: ${errorMessage(error)}`] };
  }
}

/**
 * Calls `measureLambdaCost` of bench/lambda-cost.ts and formats its table (bench/lambda-cost-table.ts),
 * imported at run time like the cold start, so a failure there costs this one section.
 */
export async function lambdaCost(options: { quick: boolean }): Promise<LambdaFigures> {
  try {
    const [{ measureLambdaCost }, { costTable }] = await Promise.all([import("./lambda-cost.ts"), import("./lambda-cost-table.ts")]);
    return { available: true, lines: costTable(await measureLambdaCost({ quick: options.quick })) };
  } catch (error) {
    return { available: false, lines: [`not measured: bench/lambda-cost.ts failed: ${errorMessage(error)}`] };
  }
}
