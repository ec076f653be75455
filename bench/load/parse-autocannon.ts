import type { WrkNumbers } from "./parse-wrk.ts";

/** Reads the JSON autocannon prints with `--json` into the same numbers as a wrk run. */
export function parseAutocannonJson(text: string): WrkNumbers {
  // autocannon may print a progress line before the JSON; the JSON is the last line starting with `{`.
  const jsonLine = text
    .split("\n")
    .filter((l) => l.trim().startsWith("{"))
    .at(-1);
  if (!jsonLine) throw new Error("autocannon printed no JSON result");
  const r = JSON.parse(jsonLine) as {
    requests: { average: number; total?: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
  };
  const requests = r.requests.total ?? Math.round(r.requests.average * r.duration);
  return {
    requestsPerSecond: r.duration > 0 ? requests / r.duration : r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}
