import type { MicroLine } from "../format-report.ts";

/** One operation to time; it may be sync or async (the loop awaits it either way, baseline included). */
export interface MicroCase {
  name: string;
  run: () => unknown;
}

/** How long to time each case. */
export interface MeasureOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
  /** Called every 4096 operations of a case, outside nothing: its cost is part of the per-op figure (keep it cheap). */
  every4096?: () => void;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeFor(c: MicroCase, ms: number, every4096?: () => void): Promise<number> {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  const start = process.hrtime.bigint();
  let ops = 0;
  let now = start;
  // The clock is read every 64 operations so reading it costs next to nothing per op.
  while (now < deadline) {
    for (let i = 0; i < 64; i++) await c.run();
    ops += 64;
    if ((ops & 4095) === 0) every4096?.();
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1000 / ops;
}

/**
 * Times every case in interleaved rounds (baseline and subject alternate, so a noisy
 * neighbour hits both) and reports the median µs/op per case, single-threaded: op/s per core.
 */
export async function measureCases(cases: readonly MicroCase[], options: MeasureOptions): Promise<MicroLine[]> {
  for (const c of cases) await timeFor(c, options.warmupMs, options.every4096);
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const c of cases) samples.get(c.name)!.push(await timeFor(c, options.roundMs, options.every4096));
  }
  return cases.map((c) => {
    const us = median(samples.get(c.name)!);
    return { name: c.name, usPerOp: us, opsPerSecond: 1e6 / us };
  });
}
