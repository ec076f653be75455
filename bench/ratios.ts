import type { LoadResult, MemoryReading, TargetName } from "./types.ts";

/** The issue's targets, for gatehouse on either store, each against the bare proxy of the same run. */
export const GOALS = {
  /** Throughput at least this fraction of bare-node's at 32 connections. */
  throughputVsBare: 0.8,
  /** Throughput at least this fraction of bare-node's at 1 connection. */
  throughputVsBareAtOne: 0.9,
  /** p99 at most this many ms above bare-node's at 32 connections. */
  p99AddedMs: 1,
  /** Peak RSS of the server process under load, MB. */
  rssMb: 150,
  atConnections: 32,
} as const;

/** The servers the targets apply to. */
const GATEHOUSE = ["gatehouse-memory", "gatehouse-sqlite"] as const;

/** One row of the results table: a load result plus its comparisons. */
export interface ComparedRow extends LoadResult {
  p50AddedMs: number | null;
  p99AddedMs: number | null;
  vsBare: number | null;
  vsNginx: number | null;
  /** Lowest and highest req/s over the rounds. */
  spread: [number, number];
}

/** A printed comparison; `met` is set when the line checks a target. */
export interface RatioLine {
  text: string;
  met?: boolean;
}

/** Averages repeated rounds of the same (target, connections) pair; order of first appearance kept. */
export function averageRounds(results: readonly LoadResult[]): Array<LoadResult & { spread: [number, number] }> {
  const groups = new Map<string, LoadResult[]>();
  for (const r of results) {
    const key = `${r.target}@${r.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const mean = (pick: (r: LoadResult) => number) => group.reduce((sum, r) => sum + pick(r), 0) / group.length;
    const sum = (pick: (r: LoadResult) => number) => group.reduce((total, r) => total + pick(r), 0);
    const rps = group.map((r) => r.requestsPerSecond);
    const cpu = group.map((r) => r.cpuUsPerRequest).filter((v): v is number => v !== null);
    return {
      target: first.target,
      connections: first.connections,
      requestsPerSecond: mean((r) => r.requestsPerSecond),
      p50Ms: mean((r) => r.p50Ms),
      p99Ms: mean((r) => r.p99Ms),
      requests: sum((r) => r.requests),
      errors: sum((r) => r.errors),
      non2xx: sum((r) => r.non2xx),
      cpuUsPerRequest: cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null,
      spread: [Math.min(...rps), Math.max(...rps)],
    };
  });
}

/** `a / b`, or null when either side is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0) return null;
  return a / b;
}

/** `a - b`, or null when either side is missing. */
export function added(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined ? null : a - b;
}

/** Adds latency-over-direct and throughput ratios to every averaged result. */
export function compareRows(results: readonly LoadResult[]): ComparedRow[] {
  const averaged = averageRounds(results);
  const find = (target: TargetName, connections: number) => averaged.find((r) => r.target === target && r.connections === connections);
  return averaged.map((row) => {
    const direct = row.target === "direct" ? undefined : find("direct", row.connections);
    const isProxy = row.target !== "direct";
    return {
      ...row,
      p50AddedMs: added(row.p50Ms, direct?.p50Ms),
      p99AddedMs: added(row.p99Ms, direct?.p99Ms),
      vsBare: isProxy && row.target !== "bare-node" ? ratio(row.requestsPerSecond, find("bare-node", row.connections)?.requestsPerSecond) : null,
      vsNginx: isProxy && row.target !== "nginx" ? ratio(row.requestsPerSecond, find("nginx", row.connections)?.requestsPerSecond) : null,
    };
  });
}

/** The explicit ratio lines the issue asks for, with the targets checked where they apply. */
export function ratioLines(rows: readonly ComparedRow[], memory: readonly MemoryReading[]): RatioLine[] {
  const lines: RatioLine[] = [];
  const connectionCounts = [...new Set(rows.map((r) => r.connections))].sort((a, b) => a - b);
  const get = (target: TargetName, c: number) => rows.find((r) => r.target === target && r.connections === c);
  for (const c of connectionCounts) {
    const goal = c === GOALS.atConnections;
    const least = goal ? GOALS.throughputVsBare : c === 1 ? GOALS.throughputVsBareAtOne : null;
    const pairs: Array<[TargetName, TargetName, number | null]> = [
      ["gatehouse-memory", "bare-node", least],
      ["gatehouse-sqlite", "bare-node", least],
      ["gatehouse-sqlite", "gatehouse-memory", null],
      ["gatehouse-memory", "nginx", null],
      ["bare-node", "nginx", null],
    ];
    for (const [a, b, min] of pairs) {
      const value = ratio(get(a, c)?.requestsPerSecond, get(b, c)?.requestsPerSecond);
      if (value === null) continue;
      const text = `ratio ${a}/${b} @${c}c: ${value.toFixed(2)}x${min !== null ? ` (target >= ${min}x)` : ""}`;
      lines.push(min !== null ? { text, met: value >= min } : { text });
    }
    for (const target of GATEHOUSE) {
      const mine = get(target, c)?.cpuUsPerRequest ?? undefined;
      const bare = get("bare-node", c)?.cpuUsPerRequest ?? undefined;
      const cpu = ratio(mine, bare);
      if (cpu !== null)
        lines.push({
          text: `CPU per request ${target}/bare-node @${c}c: ${cpu.toFixed(2)}x (${mine!.toFixed(0)} µs vs ${bare!.toFixed(0)} µs; less sensitive to a noisy machine than req/s)`,
        });
      const p99 = added(get(target, c)?.p99Ms, get("bare-node", c)?.p99Ms);
      const p50 = added(get(target, c)?.p50Ms, get("bare-node", c)?.p50Ms);
      if (p99 === null || p50 === null) continue;
      const text = `p99 added by ${target} over bare-node @${c}c: ${p99.toFixed(2)} ms${goal ? ` (target <= ${GOALS.p99AddedMs} ms)` : ""}; p50 added: ${p50.toFixed(2)} ms`;
      lines.push(goal ? { text, met: p99 <= GOALS.p99AddedMs } : { text });
    }
  }
  for (const m of memory) {
    const mb = m.peakKb / 1024;
    const checked = (GATEHOUSE as readonly string[]).includes(m.target);
    const text = `RSS ${m.target}: ${mb.toFixed(0)} MB peak, ${(m.idleKb / 1024).toFixed(0)} MB idle${checked ? ` (target <= ${GOALS.rssMb} MB)` : ""}${m.notes ? `; ${m.notes}` : ""}`;
    lines.push(checked ? { text, met: mb <= GOALS.rssMb } : { text });
  }
  return lines;
}

/** A ratio line as printed: the text, then whether its target was met. */
export function renderRatioLine(line: RatioLine): string {
  return line.met === undefined ? line.text : `${line.text}  ${line.met ? "met" : "MISSED"}`;
}
