// `node cli/run-ts.mjs bench/alloc-profile.ts [target=gatehouse-memory] [seconds=5]`: what one request
// allocates in a Node target, by function. The server runs with V8's sampling heap profiler counting
// every sampled allocation, those the GC has freed since included (see servers/arm-profiler.ts), over
// `seconds` of wrk -c32 after a 3 s warm-up; printed as sampled bytes per request, by the function that
// allocated them (self) and by the project's functions with what they call (inclusive). Allocation
// drives scavenge work, and unlike time it hardly moves with what else the machine is doing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLoad } from "./load/run-load.ts";
import { startNodeTarget, startUpstream, type NodeTargetName } from "./start-targets.ts";

const name = (process.argv[2] ?? "gatehouse-memory") as NodeTargetName;
const seconds = Number(process.argv[3] ?? 5);
const workDir = mkdtempSync(join(tmpdir(), "gatehouse-alloc-"));
const file = join(workDir, `${name}.heapprofile`);

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

// The child inherits this environment: the variable arms the heap profiler instead of the CPU one.
process.env.GATEHOUSE_BENCH_HEAP_PROFILE = file;
const upstream = await startUpstream();
let requests = 0;
try {
  const target = await startNodeTarget(name, `http://127.0.0.1:${upstream.ready.port}`, workDir);
  if ("reason" in target) throw new Error(`${name}: ${target.reason}`);
  const spec = { generator: "wrk" as const, url: target.url, headers: target.headers, connections: 32 };
  await runLoad({ ...spec, seconds: 3 });
  process.kill(target.pid, "SIGUSR2");
  await target.waitForLine((line) => line.includes('"profiling"'), 5000);
  requests = (await runLoad({ ...spec, seconds })).requests;
  await target.stop();
} finally {
  delete process.env.GATEHOUSE_BENCH_HEAP_PROFILE;
  await upstream.stop();
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
/** Adds a node's allocations to its function (self) and to every distinct function on its stack (inclusive). */
function walk(node: ProfileNode, stack: ReadonlySet<string>): number {
  const { functionName, url } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|bench|functions|cli)\//, "$1/")}`;
  self.set(key, (self.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  const below = new Set(stack).add(key);
  let sum = node.selfSize;
  for (const child of node.children) sum += walk(child, below);
  if (!stack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
  return sum;
}
walk((JSON.parse(readFileSync(file, "utf8")) as { head: ProfileNode }).head, new Set());
rmSync(workDir, { recursive: true, force: true });

const perRequest = (bytes: number) => (bytes / requests).toFixed(0).padStart(7);
const top = (sums: Map<string, number>, count: number, only?: RegExp) =>
  [...sums]
    .filter(([key]) => !only || only.test(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .forEach(([key, bytes]) => console.log(`${perRequest(bytes)}  ${key}`));
console.log(`${name}: ${requests} requests in ${seconds} s at 32 connections; sampled allocation ${perRequest(total).trim()} bytes per request`);
console.log("\nbytes/request  allocated by (self)");
top(self, 30);
console.log("\nbytes/request  the project's functions and what they call (inclusive; the server is bundled, so names, not lines)");
top(inclusive, 25, /\.build\/|functions\/|cli\//);
