import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { mintToken } from "../functions/tokens/token-format.ts";
import { startCapacityProxy, type CapacityProxy, type ProxiedCall } from "./dynamo-capacity-proxy.ts";
import { startLambdaFixture } from "./lambda-fixture.ts";

/** What one kind of request costs the function, per request, measured on the built bundle. */
export interface CostScenario {
  name: string;
  /** The status every measured request got. */
  status: number;
  requests: number;
  /** Upstream latency the stand-in added, in ms (null: no upstream call). */
  upstreamMs: number | null;
  writeUnits: number;
  readUnits: number;
  kmsCalls: number;
  /** Median handler duration in ms, and Lambda's billed duration (rounded up to 1 ms). */
  durationMs: number;
  billedMs: number;
  /** Bytes the function printed per request (its own log lines, beside Lambda's platform lines). */
  logBytes: number;
  /** The DynamoDB calls of one request, e.g. `UpdateItem rate-limits 1`. */
  calls: string[];
}

/** The cost bench's measurements. */
export interface CostReport {
  node: string;
  scenarios: CostScenario[];
  /** KMS calls made by one cold start (secrets are decrypted then, not per request). */
  coldStartKmsCalls: number;
}

/** Options of {@link measureLambdaCost}. */
export interface CostOptions {
  /** Requests per scenario. @default 40 (15 when `quick`) */
  requests?: number;
  quick?: boolean;
  node?: string;
}

/** Rate-limit UpdateItems whose condition failed: DynamoDB bills the write anyway (1 unit for an item up to 1 KB), dynalite reports nothing. */
const FAILED_CONDITION_UNITS = 1;

/**
 * Runs the deployed bundle (invoke-locally.mjs, fresh process) against dynalite behind a proxy
 * that asks for every call's consumed capacity, a KMS stand-in that counts calls, and an upstream
 * that answers after `/delay/<ms>`. Each scenario is measured as the difference of two runs: a
 * warm-up alone, then the same warm-up followed by the scenario's requests, so only warm
 * requests are counted. dynalite reports table units only; the tables these requests write have
 * no secondary index, so there are no index units to add.
 *
 * @example
 * const report = await measureLambdaCost({ quick: true });
 * report.scenarios[0].writeUnits // 2
 */
export async function measureLambdaCost(options: CostOptions = {}): Promise<CostReport> {
  const n = options.requests ?? (options.quick ? 15 : 40);
  let kmsCalls = 0;
  const kms = createServer((req, res) => {
    kmsCalls += 1;
    req.resume();
    res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
    res.end('{"__type":"AccessDeniedException","message":"bench stand-in"}');
  });
  await new Promise<void>((resolve) => kms.listen(0, "127.0.0.1", resolve));
  let proxy: CapacityProxy | undefined;
  const fixture = await startLambdaFixture({
    ...(options.node ? { node: options.node } : {}),
    kmsEndpoint: `http://127.0.0.1:${(kms.address() as AddressInfo).port}`,
    dynamoEndpoint: async (dynalite) => {
      proxy = await startCapacityProxy(dynalite);
      return proxy.endpoint;
    },
    upstream: (req, res) => {
      const delay = Number(/\/delay\/(\d+)/.exec(req.url ?? "")?.[1] ?? 0);
      req.resume();
      setTimeout(() => res.end('{"ok":true}'), delay);
    },
  });
  try {
    const calls = proxy!.calls;
    const scenarios: CostScenario[] = [];
    let node = "";
    let coldStartKmsCalls = 0;
    /** One run: the DynamoDB calls and KMS calls it made, and its output. */
    const counted = async (events: Array<Record<string, unknown>>) => {
      const [callsBefore, kmsBefore] = [calls.length, kmsCalls];
      const output = await fixture.run(events);
      return { output, calls: calls.slice(callsBefore), kms: kmsCalls - kmsBefore };
    };
    // Each scenario: the warm-up alone, then warm-up + requests (fresh tokens, so counts match).
    const measureScenario = async (
      name: string,
      status: number,
      upstreamMs: number | null,
      prefix: (token: string) => Array<Record<string, unknown>>,
      requests: (token: string) => Array<Record<string, unknown>>,
    ) => {
      const first = await counted(prefix(await fixture.token()));
      coldStartKmsCalls = first.kms;
      const token = await fixture.token();
      const second = await counted([...prefix(token), ...requests(token)]);
      node = second.output.node;
      const k = first.calls.length;
      const warmUp = second.calls.slice(0, k).map(describeCall).join(", ");
      if (warmUp !== first.calls.map(describeCall).join(", ")) throw new Error(`the warm-up made different calls in the two runs: ${warmUp}`);
      const mine = second.calls.slice(k);
      const results = second.output.results.slice(prefix("").length);
      const statuses = new Set(results.map((r) => r.result.statusCode));
      const odd = results.find((r) => r.result.statusCode !== status);
      if (odd) {
        const body = String((odd.result as { body?: unknown }).body ?? "").slice(0, 300);
        throw new Error(`${name}: expected every request to answer ${status}, got ${[...statuses].join(", ")} (${body})`);
      }
      const durations = results.map((r) => r.durationMs).sort((a, b) => a - b);
      const median = durations[Math.floor(durations.length / 2)]!;
      scenarios.push({
        name,
        status,
        requests: results.length,
        upstreamMs,
        writeUnits: sum(mine.filter(isWrite).map(billedUnits)) / results.length,
        readUnits: sum(mine.filter((c) => !isWrite(c)).map(billedUnits)) / results.length,
        kmsCalls: (second.kms - first.kms) / results.length,
        durationMs: median,
        billedMs: Math.ceil(median),
        logBytes: Math.max(0, second.output.stdoutBytes - first.output.stdoutBytes) / results.length,
        calls: mine.slice(0, mine.length / results.length).map(describeCall),
      });
    };
    // A store call that times out on an overloaded machine is retried by the SDK (extra calls) or
    // ends in a 503: that is the machine, not the request's cost, so the scenario is measured
    // again, at most three times, and fails with every attempt's reason.
    const runScenario = async (...args: Parameters<typeof measureScenario>) => {
      const reasons: string[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          return await measureScenario(...args);
        } catch (error) {
          reasons.push(error instanceof Error ? error.message : String(error));
        }
      }
      throw new Error(`${args[0]}: no clean measurement in 3 attempts: ${reasons.join(" | ")}`);
    };
    const warm = (token: string) => [fixture.event(token, "echo", "/delay/0")];
    const times = <T>(make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    await runScenario("admitted, upstream 50 ms", 200, 50, warm, (t) => times(() => fixture.event(t, "echo", "/delay/50")));
    await runScenario("admitted, upstream 200 ms", 200, 200, warm, (t) => times(() => fixture.event(t, "echo", "/delay/200")));
    await runScenario("401, malformed token", 401, null, warm, () => times((i) => fixture.event(`gatehouse_${String(i).padStart(49, "x")}`)));
    await runScenario("401, well-formed unknown token", 401, null, warm, () => times(() => fixture.event(mintToken())));
    await runScenario(
      "429, over the token's limit",
      429,
      null,
      (t) => [...warm(t), fixture.event(t, "limited")],
      (t) => times(() => fixture.event(t, "limited")),
    );
    return { node, scenarios, coldStartKmsCalls };
  } finally {
    await proxy?.close();
    await fixture.stop();
    await new Promise<void>((resolve) => kms.close(() => resolve()));
  }
}

function isWrite(call: ProxiedCall): boolean {
  return /^(Put|Update|Delete)Item$|^BatchWriteItem$/.test(call.operation);
}

/** Units DynamoDB bills for the call: as reported, or by the documented rule for a failed conditional write. */
function billedUnits(call: ProxiedCall): number {
  if (call.units !== null) return call.units;
  if (call.error === "ConditionalCheckFailedException") return FAILED_CONDITION_UNITS;
  throw new Error(`no capacity reported for ${call.operation} on ${call.table} (${call.error ?? "no error"})`);
}

function describeCall(call: ProxiedCall): string {
  const table = call.table.replace(/^bench-/, "");
  return `${call.operation} ${table} ${call.units ?? (call.error === "ConditionalCheckFailedException" ? "condition failed" : "?")}`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// `node cli/run-ts.mjs bench/lambda-cost.ts [--quick]` prints the cost table alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { costTable } = await import("./lambda-cost-table.ts");
  const report = await measureLambdaCost({ quick: process.argv.includes("--quick") });
  process.stdout.write(`${costTable(report).join("\n")}\n`);
}
