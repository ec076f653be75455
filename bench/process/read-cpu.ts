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
