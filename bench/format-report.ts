import type { ComparedRow, RatioLine } from "./ratios.ts";
import { renderRatioLine } from "./ratios.ts";
import type { MemoryReading, Unavailable } from "./types.ts";

/** What the machine is, for the report's header. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  nginx: string;
  loadGenerator: string;
  /** 1-minute load average when the run started and ended: other work on the machine shows here. */
  load: string;
  /** The share of the machine's CPU time the hypervisor gave to other guests during the run. */
  steal: string;
}

/** One timed operation of a microbenchmark. */
export interface MicroLine {
  name: string;
  usPerOp: number;
  opsPerSecond: number;
}

/** A microbenchmark's results, with its baseline among the lines. */
export interface MicroSection {
  title: string;
  lines: MicroLine[];
  notes: string[];
}

/** Everything one run produced. */
export interface BenchReport {
  date: string;
  mode: "quick" | "full" | "guard";
  settings: string;
  machine: MachineInfo;
  rows: ComparedRow[];
  memory: MemoryReading[];
  unavailable: Unavailable[];
  lines: RatioLine[];
  micro: MicroSection[];
  /** Free-form sections (profile summary, Lambda cold start, notes). */
  extras: Array<{ title: string; lines: string[] }>;
}

const fixed = (value: number | null, digits: number, suffix = "") => (value === null ? "-" : `${value.toFixed(digits)}${suffix}`);
const signed = (value: number | null) => (value === null ? "-" : `${value >= 0 ? "+" : ""}${value.toFixed(2)}`);

const HEADER = [
  "target",
  "conns",
  "req/s",
  "p50 ms",
  "p99 ms",
  "+p50 vs direct",
  "+p99 vs direct",
  "x bare-node",
  "x nginx",
  "CPU µs/req",
  "peak RSS MB",
  "errors/non-2xx",
];

function cells(row: ComparedRow, memory: readonly MemoryReading[]): string[] {
  const rss = memory.find((m) => m.target === row.target);
  return [
    row.target,
    String(row.connections),
    row.requestsPerSecond.toFixed(0),
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    signed(row.p50AddedMs),
    signed(row.p99AddedMs),
    fixed(row.vsBare, 2, "x"),
    fixed(row.vsNginx, 2, "x"),
    row.cpuUsPerRequest === null ? "-" : row.cpuUsPerRequest.toFixed(0),
    rss ? (rss.peakKb / 1024).toFixed(0) : "-",
    `${row.errors}/${row.non2xx}`,
  ];
}

/** The results as an aligned plain-text table for stdout. */
export function formatTable(rows: readonly ComparedRow[], memory: readonly MemoryReading[]): string {
  const body = rows.map((row) => cells(row, memory));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  return [line(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** The results as a markdown table. */
export function formatMarkdownTable(rows: readonly ComparedRow[], memory: readonly MemoryReading[]): string {
  const out = [`| ${HEADER.join(" | ")} |`, `|${HEADER.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`];
  for (const row of rows) out.push(`| ${cells(row, memory).join(" | ")} |`);
  return out.join("\n");
}

/** A microbenchmark section as plain text lines. */
export function formatMicro(section: MicroSection): string[] {
  const width = Math.max(...section.lines.map((l) => l.name.length));
  return [
    section.title,
    ...section.lines.map(
      (l) =>
        `  ${l.name.padEnd(width)}  ${l.usPerOp.toFixed(2).padStart(9)} µs/op  ${Math.round(l.opsPerSecond).toLocaleString("en-US").padStart(12)} op/s per core`,
    ),
    ...section.notes.map((n) => `  note: ${n}`),
  ];
}

/** The whole report as the markdown file written under bench/results/. */
export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out = [
    `# Gatehouse benchmark, ${report.date} (${report.mode})`,
    "",
    "## Machine",
    "",
    `- CPU: ${m.cpuModel}, ${m.cores} cores (shared with the load generator and the upstream)`,
    `- Memory: ${m.memoryGb.toFixed(1)} GiB; kernel ${m.kernel}`,
    `- Node ${m.node}; ${m.nginx}`,
    `- Load generator: ${m.loadGenerator}`,
    `- Load average (1 min) at start / end: ${m.load}`,
    `- CPU time stolen by the hypervisor during the run: ${m.steal}`,
    `- Settings: ${report.settings}`,
    "",
    "## Load (loopback, 1 KB JSON upstream)",
    "",
    formatMarkdownTable(report.rows, report.memory),
    "",
    "Latency columns are milliseconds; `+p50/+p99 vs direct` is what the proxy adds over the load generator talking straight to the upstream. `CPU µs/req` is the CPU time (user + system) of the server process alone over the measured window divided by the requests it served (for `direct`, the upstream's); peak RSS is VmHWM of the server process (nginx: master + worker).",
    "",
  ];
  if (report.unavailable.length) {
    out.push("Not measured:", "", ...report.unavailable.map((u) => `- ${u.target}: ${u.reason}`), "");
  }
  out.push("## Ratios and targets", "", "```", ...report.lines.map(renderRatioLine), "```", "");
  for (const section of report.micro) out.push(`## ${section.title}`, "", "```", ...formatMicro(section).slice(1), "```", "");
  for (const extra of report.extras) out.push(`## ${extra.title}`, "", "```", ...extra.lines, "```", "");
  return out.join("\n");
}
