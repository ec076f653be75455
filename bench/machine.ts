import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import type { MachineInfo } from "./format-report.ts";
import { stealLabel } from "./process/read-cpu.ts";

/** The CPU model named in a `/proc/cpuinfo` text, or null. */
export function cpuModelFrom(cpuinfo: string): string | null {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? null;
}

/** Describes this machine for the report header. */
export function describeMachine(nginxBinary: string | null, loadGenerator: string, load: string, stealPercent: number | null): MachineInfo {
  let model: string | null = null;
  try {
    model = cpuModelFrom(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    // not Linux: fall back to what Node knows
  }
  const nginx = nginxBinary ? nginxVersion(nginxBinary) : "nginx: not installed";
  return {
    cpuModel: model ?? cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGb: totalmem() / 1024 ** 3,
    kernel: release(),
    node: process.version,
    nginx,
    loadGenerator,
    load,
    steal: stealLabel(stealPercent),
  };
}

/** `nginx -v`'s answer; nginx writes its version to stderr. */
export function nginxVersion(binary: string): string {
  const run = spawnSync(binary, ["-v"], { encoding: "utf8" });
  return `${run.stdout ?? ""}${run.stderr ?? ""}`.trim() || "nginx (version unknown)";
}
