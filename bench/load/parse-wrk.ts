import type { LoadResult } from "../types.ts";

/** The numbers read from one wrk run. */
export type WrkNumbers = Pick<LoadResult, "requestsPerSecond" | "p50Ms" | "p99Ms" | "requests" | "errors" | "non2xx">;

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Converts wrk's duration text (`812.00us`, `1.20ms`, `2.01s`) to milliseconds. */
export function wrkDurationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`not a wrk duration: '${text}'`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** Reads wrk's `--latency` report. Throws when a number the report needs is missing. */
export function parseWrkOutput(text: string): WrkNumbers {
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(text);
    if (!match) throw new Error(`wrk output has no ${p}% latency (was --latency given?)`);
    return wrkDurationMs(match[1]!);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in /m.exec(text);
  if (!rps || !total) throw new Error("wrk output has no Requests/sec or request count");
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = sockets ? sockets.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  return { requestsPerSecond: Number(rps[1]), p50Ms: percentile("50"), p99Ms: percentile("99"), requests: Number(total[1]), errors, non2xx };
}
