import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "../../bench/args.ts";
import { formatMarkdown, formatTable, type BenchReport } from "../../bench/format-report.ts";
import { parseAutocannonJson } from "../../bench/load/parse-autocannon.ts";
import { parseWrkOutput, wrkDurationMs } from "../../bench/load/parse-wrk.ts";
import { cpuModelFrom } from "../../bench/machine.ts";
import { parseCpuTotals, parseStatTicks, stealLabel, stealPercent } from "../../bench/process/read-cpu.ts";
import { parseProcStatus } from "../../bench/process/read-memory.ts";
import { summarizeCpuProfile } from "../../bench/profile-summary.ts";
import { averageRounds, compareRows, ratioLines, renderRatioLine } from "../../bench/ratios.ts";
import type { LoadResult, TargetName } from "../../bench/types.ts";

// The harness's pure parts only: no servers, no timing assertions.

const WRK = `Running 5s test @ http://127.0.0.1:8080/
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.23ms  300.00us   5.00ms   90.00%
  Latency Distribution
     50%  812.00us
     75%    1.30ms
     90%    1.50ms
     99%    2.01s
  130000 requests in 5.00s, 150.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  26000.50
Transfer/sec:     30.00MB
`;

const result = (target: TargetName, connections: number, rps: number, p50: number, p99: number, cpu: number | null = null): LoadResult => ({
  target,
  connections,
  requestsPerSecond: rps,
  p50Ms: p50,
  p99Ms: p99,
  requests: rps * 5,
  errors: 0,
  non2xx: 0,
  cpuUsPerRequest: cpu,
});

describe("argument parsing", () => {
  it("--quick selects the short preset and keeps the ratio denominators", () => {
    const o = parseBenchArgs(["--quick", "--only", "gatehouse-memory", "--connections", "32,1,32"]);
    expect(o.mode).toBe("quick");
    expect([o.warmupSeconds, o.durationSeconds, o.rounds]).toEqual([1, 5, 1]);
    expect(o.connections).toEqual([1, 32]);
    expect(o.targets).toEqual(["direct", "bare-node", "gatehouse-memory"]);
    expect(o.profile).toBe("off");
    expect(parseBenchArgs([]).profile).toBe("auto");
  });
  it("--guard measures the bare proxy and both gatehouse stores at 1 and 32 connections, without micro, Lambda or profiles", () => {
    const o = parseBenchArgs(["--guard"]);
    expect(o.mode).toBe("guard");
    expect([o.warmupSeconds, o.durationSeconds, o.rounds]).toEqual([1, 4, 1]);
    expect(o.connections).toEqual([1, 32]);
    expect(o.targets).toEqual(["direct", "bare-node", "gatehouse-memory", "gatehouse-sqlite"]);
    expect([o.micro, o.lambda, o.profile]).toEqual([false, false, "off"]);
    expect(parseBenchArgs(["--quick"]).lambda).toBe(true);
    expect(() => parseBenchArgs(["--guard", "--quick"])).toThrow(/pick one/);
  });
  it("the default is the full run, overrides win, and bad values are refused by name", () => {
    const o = parseBenchArgs(["--duration", "7", "--profile", "--load", "autocannon"]);
    expect([o.mode, o.durationSeconds, o.rounds, o.profile, o.loadGenerator]).toEqual(["full", 7, 2, "on", "autocannon"]);
    expect(() => parseBenchArgs(["--connections", "0"])).toThrow(/--connections/);
    expect(() => parseBenchArgs(["--only", "haproxy"])).toThrow(/unknown target 'haproxy'/);
    expect(() => parseBenchArgs(["--load", "ab"])).toThrow(/--load/);
    expect(() => parseBenchArgs(["--profile", "--no-profile"])).toThrow(/contradict/);
  });
});

describe("load generator output", () => {
  it("reads wrk's --latency report, converting every unit to ms", () => {
    expect(wrkDurationMs("812.00us")).toBeCloseTo(0.812);
    expect(wrkDurationMs("2.01s")).toBeCloseTo(2010);
    const wrk = parseWrkOutput(WRK);
    expect({ ...wrk, p50Ms: 0, p99Ms: 0 }).toEqual({ requestsPerSecond: 26000.5, p50Ms: 0, p99Ms: 0, requests: 130000, errors: 3, non2xx: 5 });
    expect([wrk.p50Ms, wrk.p99Ms].map((v) => Math.round(v * 1000))).toEqual([812, 2010000]);
    expect(() => parseWrkOutput("Requests/sec: 1\n  5 requests in 1s")).toThrow(/50% latency/);
  });
  it("reads autocannon's JSON, after a progress line", () => {
    const json = JSON.stringify({ requests: { average: 999, total: 5000 }, latency: { p50: 1.5, p99: 9 }, errors: 1, timeouts: 2, non2xx: 3, duration: 5.0 });
    expect(parseAutocannonJson(`Running 5s test\n${json}\n`)).toEqual({ requestsPerSecond: 1000, p50Ms: 1.5, p99Ms: 9, requests: 5000, errors: 3, non2xx: 3 });
  });
});

describe("ratio math", () => {
  const results = [
    result("direct", 32, 20000, 1.0, 2.0),
    result("nginx", 32, 10000, 1.5, 3.0),
    result("bare-node", 32, 5000, 2.0, 4.0, 200),
    result("gatehouse-memory", 32, 4000, 2.5, 5.5, 250),
    result("gatehouse-memory", 32, 4400, 2.5, 4.5, 230),
  ];
  it("averages rounds and keeps the spread", () => {
    const gh = averageRounds(results).find((r) => r.target === "gatehouse-memory")!;
    expect(gh.requestsPerSecond).toBe(4200);
    expect(gh.p99Ms).toBe(5);
    expect(gh.cpuUsPerRequest).toBe(240);
    expect(gh.spread).toEqual([4000, 4400]);
  });
  it("compares each proxy with direct, bare-node and nginx at the same connections", () => {
    const gh = compareRows(results).find((r) => r.target === "gatehouse-memory")!;
    expect(gh.vsBare).toBeCloseTo(0.84);
    expect(gh.vsNginx).toBeCloseTo(0.42);
    expect(gh.p50AddedMs).toBeCloseTo(1.5);
    expect(gh.p99AddedMs).toBeCloseTo(3.0);
    const bare = compareRows(results).find((r) => r.target === "bare-node")!;
    expect(bare.vsBare).toBeNull();
  });
  it("prints the ratio lines with the targets checked at 32 connections", () => {
    const lines = ratioLines(compareRows(results), [{ target: "gatehouse-memory", peakKb: 160 * 1024, idleKb: 80 * 1024 }]).map(renderRatioLine);
    expect(lines).toContain("ratio gatehouse-memory/bare-node @32c: 0.84x (target >= 0.8x)  met");
    expect(lines).toContain("p99 added by gatehouse-memory over bare-node @32c: 1.00 ms (target <= 1 ms); p50 added: 0.50 ms  met");
    expect(lines).toContain("RSS gatehouse-memory: 160 MB peak, 80 MB idle (target <= 150 MB)  MISSED");
    expect(lines.some((l) => l.startsWith("CPU per request gatehouse-memory/bare-node @32c: 1.20x"))).toBe(true);
  });
  it("checks the SQLite store against the bare proxy with the same targets, and 0.9x at one connection", () => {
    const both = [
      ...results,
      result("gatehouse-sqlite", 32, 3500, 3.0, 6.0, 300),
      result("bare-node", 1, 3000, 0.3, 0.9, 150),
      result("gatehouse-memory", 1, 2790, 0.31, 1.0, 160),
      result("gatehouse-sqlite", 1, 2400, 0.4, 2.0, 250),
    ];
    const memory = [
      { target: "gatehouse-memory" as const, peakKb: 140 * 1024, idleKb: 80 * 1024 },
      { target: "gatehouse-sqlite" as const, peakKb: 151 * 1024, idleKb: 90 * 1024 },
    ];
    const lines = ratioLines(compareRows(both), memory).map(renderRatioLine);
    expect(lines).toContain("ratio gatehouse-memory/bare-node @1c: 0.93x (target >= 0.9x)  met");
    expect(lines).toContain("ratio gatehouse-sqlite/bare-node @1c: 0.80x (target >= 0.9x)  MISSED");
    expect(lines).toContain("ratio gatehouse-sqlite/bare-node @32c: 0.70x (target >= 0.8x)  MISSED");
    expect(lines).toContain("ratio gatehouse-sqlite/gatehouse-memory @32c: 0.83x");
    expect(lines).toContain("p99 added by gatehouse-sqlite over bare-node @32c: 2.00 ms (target <= 1 ms); p50 added: 1.00 ms  MISSED");
    expect(lines).toContain("p99 added by gatehouse-memory over bare-node @1c: 0.10 ms; p50 added: 0.01 ms");
    expect(lines).toContain("RSS gatehouse-memory: 140 MB peak, 80 MB idle (target <= 150 MB)  met");
    expect(lines).toContain("RSS gatehouse-sqlite: 151 MB peak, 90 MB idle (target <= 150 MB)  MISSED");
  });
});

describe("report formatting", () => {
  const rows = compareRows([result("direct", 1, 9000, 0.1, 0.3), result("bare-node", 1, 3000, 0.3, 0.9)]);
  it("aligns the stdout table and marks missing comparisons with '-'", () => {
    const [header, rule, direct, bare] = formatTable(rows, [{ target: "bare-node", peakKb: 70 * 1024, idleKb: 60 * 1024 }]).split("\n");
    expect(header!.length).toBe(rule!.length);
    expect(direct).toMatch(/^direct\s+1\s+9000\s+0\.10\s+0\.30\s+-\s+-/);
    expect(bare).toMatch(/\+0\.20\s+\+0\.60\s+-\s+-\s+-\s+70\s+0\/0$/);
  });
  it("writes the machine, the table and the ratio lines into the markdown", () => {
    const report: BenchReport = {
      date: "2026-01-01T00:00:00Z",
      mode: "quick",
      settings: "wrk",
      rows,
      memory: [],
      unavailable: [{ target: "nginx", reason: "not available: not installed" }],
      lines: [{ text: "ratio x", met: false }],
      micro: [{ title: "Engine", lines: [{ name: "baseline", usPerOp: 2, opsPerSecond: 500000 }], notes: ["n"] }],
      extras: [],
      machine: {
        cpuModel: "AMD EPYC",
        cores: 2,
        memoryGb: 24,
        kernel: "6.1",
        node: "v20.20.2",
        nginx: "nginx/1.22.1",
        loadGenerator: "wrk",
        load: "0.5 / 0.7",
        steal: "14.9%",
      },
    };
    const md = formatMarkdown(report);
    expect(md).toContain("# Gatehouse benchmark, 2026-01-01T00:00:00Z (quick)");
    expect(md).toContain("- CPU: AMD EPYC, 2 cores");
    expect(md).toContain("- CPU time stolen by the hypervisor during the run: 14.9%");
    expect(md).toContain("| direct | 1 | 9000 |");
    expect(md).toContain("- nginx: not available: not installed");
    expect(md).toContain("ratio x  MISSED");
    expect(md).toContain("500,000 op/s per core");
  });
});

describe("/proc and profile readers", () => {
  it("reads VmHWM, VmRSS, CPU ticks and the CPU model", () => {
    expect(parseProcStatus("Name:\tnode\nVmHWM:\t  120000 kB\nVmRSS:\t   90000 kB\n")).toEqual({ peakKb: 120000, currentKb: 90000 });
    expect(parseStatTicks("42 (node (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0")).toBe(300);
    expect(cpuModelFrom("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n")).toBe("AMD EPYC 7B13");
  });
  it("reads the machine's CPU totals and the stolen share between two readings", () => {
    // Two `cpu` lines of /proc/stat on this machine, 8 s of wrk apart (the first 8 fields count).
    const before = parseCpuTotals("cpu  124808 0 47300 257350 2344 0 20247 14049 0 0\ncpu0 62000 0 23000 128000 1000 0 10000 7000 0 0\n");
    const after = parseCpuTotals("cpu  125276 0 47655 257649 2344 0 20485 14287 0 0\n");
    expect(before).toEqual({ total: 466098, steal: 14049 });
    expect(stealPercent(before, after)).toBeCloseTo((100 * 238) / 1598, 6);
    expect(parseCpuTotals("intr 1 2 3\n")).toBeNull();
    expect(stealPercent(after, before)).toBeNull();
    expect(stealPercent(null, after)).toBeNull();
    expect([stealLabel(14.8998), stealLabel(null)]).toEqual(["14.9%", "unknown"]);
  });
  it("charges sample time to the top frame and keeps idle out of the percentages", () => {
    const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });
    const summary = summarizeCpuProfile(
      {
        nodes: [
          { id: 1, callFrame: frame("(root)") },
          { id: 2, callFrame: frame("handle", "file:///repo/functions/engine/create-engine.ts") },
          { id: 3, callFrame: frame("(idle)") },
          { id: 4, callFrame: frame("request", "file:///repo/node_modules/undici/lib/api/api-request.js") },
        ],
        samples: [2, 2, 3, 4],
        timeDeltas: [300, 300, 5000, 400],
      },
      "/repo",
    );
    expect(summary.idleMs).toBe(5);
    expect(summary.functions[0]).toEqual({ name: "handle (functions/engine/create-engine.ts)", selfMs: 0.6, percent: 60 });
    expect(summary.files[1]).toEqual({ name: "undici/lib/api/api-request.js", selfMs: 0.4, percent: 40 });
  });
});
