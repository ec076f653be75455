import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { defineGateway } from "../schema/index.ts";
import { createTables } from "../functions/adapters/aws/create-tables.ts";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../functions/adapters/aws/dynamo-client.ts";
import { DynamoTokenStore } from "../functions/adapters/aws/dynamo-token-store.ts";
import { tableNames } from "../functions/contracts/tables.ts";
import { startDynalite } from "../test/helpers/start-dynalite.ts";
import { issueToken } from "../functions/tokens/issue-token.ts";
import { buildLambdaBundle } from "../infra/build-lambda-bundle.ts";
import { writeLambdaArchive } from "../infra/write-lambda-archive.ts";
import { bundleContributors, type Contributor } from "./lambda-bundle-contributors.ts";
import { writeSdkBaseline } from "./lambda-sdk-baseline.ts";

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL("../functions/front-doors/lambda/invoke-locally.mjs", import.meta.url));

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

  const dynalite = await startDynalite();
  const upstream = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const dir = await mkdtemp(join(tmpdir(), "gatehouse-cold-start-"));
  const client = createDocumentClient({ region: "us-east-1", endpoint: dynalite.endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    const tables = tableNames("bench");
    await createTables(client, tables);
    const gateway = defineGateway({
      name: "cold-start",
      endpoints: {
        echo: {
          upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`,
          methods: ["GET"],
          rateLimit: { perMinute: 10_000 },
          timeoutSeconds: 10,
          unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
        },
      },
    });
    await writeLambdaArchive(join(dir, "bundle"), gateway);
    const { token } = await issueToken(new DynamoTokenStore({ client, tableName: tables.tokens }), {
      gatewayId: gateway.id,
      label: "bench",
      endpoints: null,
      now: Date.now(),
    });
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: `/api/${gateway.id}/proxy/echo/items`,
      rawQueryString: "",
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      requestContext: {
        http: { method: "GET", path: `/api/${gateway.id}/proxy/echo/items`, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "bench" },
      },
      isBase64Encoded: false,
    };
    const requestFile = join(dir, "request.json");
    const resultFile = join(dir, "result.json");
    await writeFile(requestFile, JSON.stringify({ handler: "handler", events: [event] }));
    const env = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      // No secrets in this gateway: KMS is never called, but must never be AWS either.
      AWS_ENDPOINT_URL_KMS: "http://127.0.0.1:9",
      GATEHOUSE_TABLES: JSON.stringify(tables),
      GATEHOUSE_KEY_ARN: "arn:aws:kms:us-east-1:123456789012:key/bench",
    };
    const baselineDir = join(dir, "baseline");
    const baseline = await writeSdkBaseline(baselineDir);
    let version = "";
    const sample = async (bundleDir: string, expected: number): Promise<ColdStartSample> => {
      await run(node, [RUNNER, bundleDir, requestFile, resultFile], { env, timeout: 30_000 });
      const out = JSON.parse(await readFile(resultFile, "utf8")) as {
        node: string;
        importMs: number;
        results: Array<{ durationMs: number; result: { statusCode: number } }>;
      };
      const first = out.results[0]!;
      if (first.result.statusCode !== expected) throw new Error(`the first request answered ${first.result.statusCode}, expected ${expected}`);
      version = out.node;
      return { importMs: out.importMs, firstRequestMs: first.durationMs, coldInitMs: out.importMs + first.durationMs };
    };
    // Alternating, so both see the same machine load.
    const samples: ColdStartSample[] = [];
    const baselineSamples: ColdStartSample[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await sample(join(dir, "bundle"), 200));
      baselineSamples.push(await sample(baselineDir, 200));
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
    client.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await dynalite.stop();
    await rm(dir, { recursive: true, force: true });
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
