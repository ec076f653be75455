import type { InfraReport } from "./infra-change.ts";
import type { RevisionInfo } from "./resolve-revisions.ts";

/**
 * How a change moves the gateway's exposure. Widening: more is allowed, reaches further, or is
 * kept or handed out (methods, headers, origins, credentials, higher caps, audit data). Narrowing:
 * the reverse. Neutral: it matters to a reviewer but grants nothing (a timeout, a renamed id).
 */
export type Effect = "widening" | "narrowing" | "neutral";

/** One classified change, written as a sentence a reviewer can read. */
export interface Change {
  effect: Effect;
  /** A stable name of the kind of change (`methods`, `rate-limit`, ...), for JSON consumers. */
  kind: string;
  /** What it is about: `gateway`, `endpoint:<slug>` or `connection:<name>`. */
  subject: string;
  text: string;
  /**
   * Always called out whatever its effect: private-network allowances and gateway id changes
   * (every client URL moves). Renderers add a warning marker.
   */
  alert?: boolean;
  /**
   * The change moves a client URL (a gateway's id or name, an endpoint crossing onto or off the
   * streaming Function URL): clients must be told, whatever its effect. Always with `alert`.
   */
  breaking?: boolean;
}

/** Every change to one gateway, compared by name. */
export interface GatewayDiff {
  name: string;
  changes: Change[];
}

/** A definition file that could not be loaded at one side of the diff. */
export interface DiffProblem {
  side: "base" | "head";
  file: string;
  path: string;
  message: string;
}

/**
 * What `gatehouse diff` reports. The definition diff is `gateways`; with `--infra`, `infra` is the
 * infrastructure diff (a shadow plan at each side), shown after the gateway sections.
 */
export interface DiffReport {
  base: RevisionInfo;
  head: RevisionInfo;
  gateways: GatewayDiff[];
  problems: DiffProblem[];
  /** Things the reader should know that are not changes (fallbacks, files skipped at base). */
  notes: string[];
  /** Present only with `--infra`. Its changes are informational and not counted in {@link countEffects}. */
  infra?: InfraReport;
}

/** How many changes move a client URL ({@link Change.breaking}). */
export function countBreaking(report: DiffReport): number {
  return report.gateways.reduce((n, g) => n + g.changes.filter((c) => c.breaking).length, 0);
}

/** How many changes of each effect the report holds. */
export function countEffects(report: DiffReport): Record<Effect, number> {
  const counts: Record<Effect, number> = { widening: 0, narrowing: 0, neutral: 0 };
  for (const gateway of report.gateways) for (const change of gateway.changes) counts[change.effect] += 1;
  return counts;
}
