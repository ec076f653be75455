import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { buildLambdaBundle } from "../infra/build-lambda-bundle.ts";
import { bundleContributors, type Contributor } from "./lambda-bundle-contributors.ts";
import { startLambdaFixture } from "./lambda-fixture.ts";
import { writeSdkBaseline } from "./lambda-sdk-baseline.ts";

/** Options of {@link measureLambdaColdStart}. */
export interface ColdStartOptions {
  /** The `node` binary to start. @default process.execPath */
  node?: string;
  /** Fresh processes to start; the report gives medians. @default 5 (3 when `quick`) */
  runs?: number;
  /** Fewer runs (`npm run bench -- --quick`). @default false */
  quick?: boolean;
}

/** What one cold start cost, in milliseconds. */
export interface ColdStartSample {
  /** `import()` of the bundle (module evaluation, SDK clients, definition parse started). */
  importMs: number;
  /** The first request: token lookup, rate limit, upstream, audit write, all on a cold instance. */
  firstRequestMs: number;
  /** importMs + firstRequestMs: what a user waits beyond Lambda's own start. */
  coldInitMs: number;
}

/** The bench report: bundle size, the median cold initialisation, and the SDK-only baseline's, from the same run. */
export interface ColdStartReport {
  node: string;
  bundleBytes: number;
  bundleSha256: string;
  /** esbuild time of one uncached build. */
  buildMs: number;
  median: ColdStartSample;
  samples: ColdStartSample[];
  /** The bundle's biggest parts by package (esbuild metafile, bytes in the output). */
  contributors: Contributor[];
  /** `@aws-sdk/client-dynamodb` alone (bench/lambda-sdk-baseline.ts), run alternately with the gateway. */
  baseline: { bundleBytes: number; median: ColdStartSample; samples: ColdStartSample[] };
  /** The gateway's median import over the baseline's (issue 18's target: at most 1.5). */
  importRatio: number;
}

/**
 * Measures the deployed Lambda code: its size, and cold initialisation (import of the bundle plus
 * the first request) in a fresh `node` process each run, as on a new Lambda instance. The
 * request goes through the real path against loopback stand-ins: dynalite for DynamoDB and an
 * HTTP server on 127.0.0.1 as the upstream. Lambda's own start (sandbox, runtime) is not
 * included, and a laptop's numbers are no Lambda's: compare runs with each other (ratios).
 *
 * @example
 * const report = await measureLambdaColdStart({ runs: 5 });
 * console.log(report.bundleBytes, report.median.coldInitMs);
 */
export async function measureLambdaColdStart(options: ColdStartOptions = {}): Promise<ColdStartReport> {
  const node = options.node ?? process.execPath;
  const runs = options.runs ?? (options.quick ? 3 : 5);
  const built = performance.now();
  const bundle = buildLambdaBundle({ cache: false });
  const buildMs = performance.now() - built;

  const fixture = await startLambdaFixture({ node });
  try {
    const event = fixture.event(await fixture.token());
    const baselineDir = join(fixture.dir, "baseline");
    const baseline = await writeSdkBaseline(baselineDir);
    let version = "";
    const sample = async (bundleDir: string): Promise<ColdStartSample> => {
      const out = await fixture.run([event], bundleDir);
      const first = out.results[0]!;
      if (first.result.statusCode !== 200) throw new Error(`the first request answered ${first.result.statusCode}, expected 200`);
      version = out.node;
      return { importMs: out.importMs, firstRequestMs: first.durationMs, coldInitMs: out.importMs + first.durationMs };
    };
    // Alternating, so both see the same machine load.
    const samples: ColdStartSample[] = [];
    const baselineSamples: ColdStartSample[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await sample(fixture.bundleDir));
      baselineSamples.push(await sample(baselineDir));
    }
    const ours = medianSample(samples);
    const sdk = medianSample(baselineSamples);
    return {
      node: version,
      bundleBytes: bundle.bytes,
      bundleSha256: bundle.sha256,
      buildMs,
      median: ours,
      samples,
      contributors: bundleContributors(bundle.inputs),
      baseline: { bundleBytes: baseline.bytes, median: sdk, samples: baselineSamples },
      importRatio: ours.importMs / sdk.importMs,
    };
  } finally {
    await fixture.stop();
  }
}

/** Each field's median over the samples (taken field by field). */
function medianSample(samples: ColdStartSample[]): ColdStartSample {
  const median = (key: keyof ColdStartSample) => {
    const sorted = samples.map((s) => s[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return { importMs: median("importMs"), firstRequestMs: median("firstRequestMs"), coldInitMs: median("coldInitMs") };
}

// `node cli/run-ts.mjs bench/lambda-cold-start.ts` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { describeColdStart } = await import("./lambda-hook.ts");
  process.stdout.write(`${describeColdStart(await measureLambdaColdStart()).join("\n")}\n`);
}
