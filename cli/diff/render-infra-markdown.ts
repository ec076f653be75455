import type { InfraFlag, InfraReport, ResourceChange } from "./infra-change.ts";
import { describeInfraSummary, describeInputChange, FLAG_LABEL, SHADOW_PLAN_EXPLAINED, shortType } from "./infra-words.ts";
import { code } from "./words.ts";

const MARK: Record<InfraFlag, string> = { "permissions-widened": "⚠️", "protection-lost": "🚨" };
const ACTION: Record<ResourceChange["action"], string> = { create: "**create**", update: "**update**", delete: "**delete**" };

/**
 * The infra section of the pull-request comment, after the gateway sections: a heading, the
 * summary line, then per gateway one bullet per resource with a sub-bullet per changed input.
 * ⚠️ marks widened permissions, 🚨 a table that lost a protection; nothing else is classified.
 */
export function renderInfraMarkdown(infra: InfraReport): string[] {
  const s = infra.summary;
  const lines = ["", "### Infrastructure", "", `${describeInfraSummary(s)} (${SHADOW_PLAN_EXPLAINED}).`];
  if (s.permissionsWidened || s.protectionLost) {
    lines.push("", "> [!WARNING]");
    if (s.permissionsWidened) lines.push("> The function role may do more after this change. Review each ⚠️ line.");
    if (s.protectionLost)
      lines.push("> A table loses a protection (point-in-time recovery, encryption with the gateway's key, or deletion protection). Review each 🚨 line.");
  }
  if (infra.gateways.length === 0 && infra.problems.length === 0) lines.push("", "No infrastructure changes.");
  for (const gateway of infra.gateways) {
    lines.push("", gateway.name === null ? "#### Outside any gateway" : `#### Gateway ${code(gateway.name)} (infrastructure)`, "");
    for (const change of gateway.changes) {
      const marks = change.flags.map((f) => `${MARK[f]} `).join("");
      const flags = change.flags.map((f) => `**${FLAG_LABEL[f]}**`).join(", ");
      const settings = change.settings ? `: ${code(change.settings)}` : "";
      lines.push(`- ${marks}${ACTION[change.action]} ${code(shortType(change.type))} ${code(change.name)}${settings}${flags ? ` — ${flags}` : ""}`);
      for (const input of change.inputs) lines.push(`  - ${input.flag ? `${MARK[input.flag]} ` : ""}${describeInputChange(input, code)}`);
    }
  }
  if (infra.problems.length) {
    lines.push("");
    for (const p of infra.problems)
      lines.push(`- ${p.side === "head" ? "❌" : "⚠️ at base:"} the Pulumi program failed: ${code(p.message.replace(/\s+/g, " "))}`);
  }
  if (infra.notes.length) {
    lines.push("");
    for (const note of infra.notes) lines.push(`> ${note}`);
  }
  return lines;
}
