import { readCpuMs } from "../process/read-cpu.ts";
import { runLoad, type LoadSpec } from "./run-load.ts";
import type { WrkNumbers } from "./parse-wrk.ts";

/** One load run's figures with the server's CPU per request over it (null when /proc could not be read). */
export type MeasuredLoad = WrkNumbers & { cpuUsPerRequest: number | null };

/** Runs `spec` against the server process `pid` (with its children when `withChildren`) and reads the CPU it spent meanwhile. */
export async function measureLoad(server: { pid: number; withChildren: boolean }, spec: LoadSpec): Promise<MeasuredLoad> {
  const cpuBefore = readCpuMs(server.pid, server.withChildren);
  const n = await runLoad(spec);
  const cpuAfter = readCpuMs(server.pid, server.withChildren);
  // The load generator stops sending at the end of the window, so the server's CPU over it is the window's.
  const cpuUsPerRequest = cpuBefore !== null && cpuAfter !== null && n.requests > 0 ? ((cpuAfter - cpuBefore) * 1000) / n.requests : null;
  return { ...n, cpuUsPerRequest };
}
