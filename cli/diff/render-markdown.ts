import { countBreaking, countEffects, type Change, type DiffReport } from "./change.ts";
import { describeRevision } from "./describe-revisions.ts";
import { renderInfraMarkdown } from "./render-infra-markdown.ts";
import { code } from "./words.ts";

/** First line of every comment, so CI can find and update its own comment instead of adding one per push. */
export const MARKDOWN_MARKER = "<!-- gatehouse-diff -->";

const MARK: Record<Change["effect"], string> = { widening: "⚠️ **widening**", narrowing: "✅ narrowing", neutral: "➖ neutral" };

/**
 * The pull-request comment: a heading, one summary line counting widening, narrowing and neutral
 * changes, then a section per gateway with one bullet per change, then (with `--infra`) the
 * infrastructure section. Always-flagged changes (private networks) get a 🚨 in front whatever
 * their effect; changes that move a client URL get "🚨 **breaking**" and a caution block.
 */
export function renderMarkdown(report: DiffReport): string {
  const counts = countEffects(report);
  const breaking = countBreaking(report);
  const widening = counts.widening === 1 ? "**1 widening**" : counts.widening ? `**${counts.widening} widening**` : "0 widening";
  const lines = [
    MARKDOWN_MARKER,
    "## Gatehouse policy diff",
    "",
    `${describeRevision(report.base, code)} → ${describeRevision(report.head, code)}: ${widening}, ${counts.narrowing} narrowing, ${counts.neutral} neutral${breaking ? `; 🚨 **${breaking} breaking**` : ""}.`,
  ];
  if (breaking > 0) lines.push("", "> [!CAUTION]", "> This change moves client URLs. Clients must be given the new URLs (🚨 **breaking** lines).");
  if (counts.widening > 0) lines.push("", "> [!WARNING]", "> This change widens what the gateways allow. Review each ⚠️ line.");
  if (report.gateways.length === 0 && report.problems.filter((p) => p.side === "head").length === 0) lines.push("", "No policy changes.");
  for (const gateway of report.gateways) {
    lines.push("", `### Gateway ${code(gateway.name)}`, "");
    for (const change of gateway.changes)
      lines.push(`- ${change.breaking ? "🚨 **breaking** " : change.alert ? "🚨 " : ""}${MARK[change.effect]}: ${change.text}`);
  }
  if (report.infra) lines.push(...renderInfraMarkdown(report.infra));
  const problems = report.problems;
  if (problems.length) {
    lines.push("", "### Problems", "");
    for (const p of problems) {
      const where = p.path ? `${code(p.path)}: ` : "";
      lines.push(`- ${p.side === "head" ? "❌" : "⚠️ at base:"} ${code(p.file)}: ${where}${p.message}`);
    }
  }
  if (report.notes.length) {
    lines.push("");
    for (const note of report.notes) lines.push(`> ${note}`);
  }
  return `${lines.join("\n")}\n`;
}
