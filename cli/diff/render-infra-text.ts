import type { InfraReport, ResourceChange } from "./infra-change.ts";
import { describeInfraSummary, describeInputChange, FLAG_LABEL, SHADOW_PLAN_EXPLAINED, shortType } from "./infra-words.ts";

const ACTION: Record<ResourceChange["action"], string> = { create: "+ create", update: "~ update", delete: "- delete" };

/**
 * The infra section of the terminal form: a summary line, then per gateway one line per
 * resource and an indented line per changed input. Flagged resources and inputs start with `!`,
 * as always-flagged definition changes do.
 */
export function renderInfraText(infra: InfraReport): string[] {
  const lines = ["", `infrastructure (${SHADOW_PLAN_EXPLAINED}): ${describeInfraSummary(infra.summary)}`];
  if (infra.gateways.length === 0 && infra.problems.length === 0) lines.push("no infrastructure changes");
  for (const gateway of infra.gateways) {
    lines.push("", gateway.name === null ? "infra outside any gateway" : `infra of gateway ${gateway.name}`);
    for (const change of gateway.changes) {
      const flags = change.flags.map((f) => FLAG_LABEL[f]).join(", ");
      const head = [ACTION[change.action], shortType(change.type), change.name, change.settings ?? "", flags ? `(${flags})` : ""].filter(Boolean).join("  ");
      lines.push(`${change.flags.length ? "! " : "  "}${head}`);
      for (const input of change.inputs) lines.push(`${input.flag ? "!" : " "}       ${describeInputChange(input)}`);
    }
  }
  for (const p of infra.problems) lines.push(`  ${p.side === "head" ? "✗" : "!"} the Pulumi program failed at ${p.side}: ${p.message}`);
  for (const note of infra.notes) lines.push(`note: ${note}`);
  return lines;
}
