import { countEffects, type DiffReport } from "./change.ts";

/** The machine form: the report as is, plus the counts, as stable JSON for other tools. */
export function renderJson(report: DiffReport): string {
  return JSON.stringify({ ...report, summary: countEffects(report) }, null, 2);
}
