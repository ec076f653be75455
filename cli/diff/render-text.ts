import { countBreaking, countEffects, type Change, type DiffReport } from "./change.ts";
import { describeRevision } from "./describe-revisions.ts";
import { renderInfraText } from "./render-infra-text.ts";

const MARK: Record<Change["effect"], string> = { widening: "+ widening ", narrowing: "- narrowing", neutral: "= neutral  " };

/**
 * The terminal form: a summary line, then each gateway's changes one per line, then (with
 * `--infra`) the infrastructure section. Always-flagged changes start with `!` so they stand out
 * in a log.
 */
export function renderText(report: DiffReport): string {
  const counts = countEffects(report);
  const breaking = countBreaking(report);
  const lines = [
    `gatehouse diff: ${describeRevision(report.base)} -> ${describeRevision(report.head)}: ` +
      `${counts.widening} widening, ${counts.narrowing} narrowing, ${counts.neutral} neutral${breaking ? `; ${breaking} BREAKING (client URLs move)` : ""}`,
  ];
  if (report.gateways.length === 0 && report.problems.length === 0) lines.push("no policy changes");
  for (const gateway of report.gateways) {
    lines.push("", `gateway ${gateway.name}`);
    for (const change of gateway.changes)
      lines.push(`${change.alert ? "! " : "  "}${MARK[change.effect]}  ${change.breaking ? "BREAKING: " : ""}${change.text}`);
  }
  if (report.infra) lines.push(...renderInfraText(report.infra));
  if (report.problems.length) {
    lines.push("", "problems:");
    for (const p of report.problems) lines.push(`  ${p.side === "head" ? "✗" : "!"} ${p.file} (${p.side}): ${p.path || "(file)"}: ${p.message}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
