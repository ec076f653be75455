import { readFileSync } from "node:fs";

/** Resident memory of one process, in kB. */
export interface ProcessMemory {
  /** VmHWM: the peak resident set since the process started. */
  peakKb: number;
  /** VmRSS: the resident set now. */
  currentKb: number;
}

/** Reads `VmHWM` and `VmRSS` from a `/proc/<pid>/status` text. */
export function parseProcStatus(text: string): ProcessMemory {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { peakKb: field("VmHWM"), currentKb: field("VmRSS") };
}

/** The memory of `pid`, summed with its direct children's (nginx's workers), or null when it is gone. */
export function readMemory(pid: number, withChildren = false): ProcessMemory | null {
  try {
    const own = parseProcStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!withChildren) return own;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    for (const child of children) {
      const m = readMemory(child);
      if (m) {
        own.peakKb += m.peakKb;
        own.currentKb += m.currentKb;
      }
    }
    return own;
  } catch {
    return null;
  }
}
