import { countBreaking, countEffects, type DiffReport } from "./change.ts";

/**
 * The machine form: the report as is, plus the counts, as stable JSON for other tools. With
 * `--infra` the report's `infra` field carries its own `summary` (resources to create, update,
 * delete, unchanged, and the two flags); the top-level `summary` counts definition changes only,
 * by effect, plus `breaking` (changes that move a client URL, also counted under their effect).
 */
export function renderJson(report: DiffReport): string {
  return JSON.stringify({ ...report, summary: { ...countEffects(report), breaking: countBreaking(report) } }, null, 2);
}
