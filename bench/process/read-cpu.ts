import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = (() => {
  const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim();
  const n = Number(out);
  return Number.isInteger(n) && n > 0 ? n : 100;
})();

/** utime + stime, in clock ticks, from a `/proc/<pid>/stat` line (the command may contain spaces and parentheses). */
export function parseStatTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command: state is field 3 of the full line, utime 14 and stime 15, so 11 and 12 here.
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time `pid` has used, in ms (user + system, all threads), plus its live children's
 * (nginx's worker), or null when it is gone. Reads at 10 ms resolution: CPU per request is
 * taken over a whole run, where that is small. CPU time is what the server itself spent, so it
 * moves far less than throughput when other processes take the cores.
 */
export function readCpuMs(pid: number, withChildren = false): number | null {
  try {
    let ticks = parseStatTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
    if (withChildren) {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      for (const child of children) ticks += parseStatTicks(readFileSync(`/proc/${child}/stat`, "utf8"));
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The system's 1-minute load average now, or null off Linux. */
export function loadAverage(): number | null {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return null;
  }
}

/** The machine's CPU time in ticks, from the `cpu` line of `/proc/stat`: all of it, and the part stolen. */
export interface CpuTotals {
  /** user + nice + system + idle + iowait + irq + softirq + steal, over every core. */
  total: number;
  /** Time a virtual CPU was ready to run but the hypervisor ran something else (other guests). */
  steal: number;
}

/** {@link CpuTotals} from a `/proc/stat` text, or null when it has no `cpu` line. */
export function parseCpuTotals(stat: string): CpuTotals | null {
  const line = /^cpu\s+(.+)$/m.exec(stat)?.[1];
  if (!line) return null;
  const ticks = line.trim().split(/\s+/).slice(0, 8).map(Number);
  if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return null;
  return { total: ticks.reduce((sum, t) => sum + t, 0), steal: ticks[7]! };
}

/** The machine's CPU totals now, or null off Linux. */
export function readCpuTotals(): CpuTotals | null {
  try {
    return parseCpuTotals(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/**
 * The percentage of the machine's CPU time between two readings that the hypervisor gave to
 * other guests. A load average cannot show that (it counts this machine's processes only); on a
 * shared host it is what makes one run's absolute figures two or three times another's.
 */
export function stealPercent(from: CpuTotals | null, to: CpuTotals | null): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return (100 * (to.steal - from.steal)) / (to.total - from.total);
}

/** A {@link stealPercent} as the reports print it ("14.9%", or "unknown"). */
export function stealLabel(percent: number | null): string {
  return percent === null ? "unknown" : `${percent.toFixed(1)}%`;
}
