/** Shapes shared by the harness's modules. */

/** The servers measured, in the order they appear in the report. */
export const TARGETS = ["direct", "nginx", "bare-node", "gatehouse-memory", "gatehouse-sqlite"] as const;

/** One measured server. */
export type TargetName = (typeof TARGETS)[number];

/** What one load run measured. */
export interface LoadResult {
  target: TargetName;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests completed in the measured window. */
  requests: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses outside 2xx/3xx (a refused request is not a served one). */
  non2xx: number;
  /** CPU time the server process spent per request in the measured window (µs), or null if unread. */
  cpuUsPerRequest: number | null;
}

/** A target that could not run, and why. */
export interface Unavailable {
  target: TargetName;
  reason: string;
}

/** Peak and idle memory of a server process, in kB as /proc reports it. */
export interface MemoryReading {
  target: TargetName;
  /** VmHWM after the load: the most resident memory the process ever had. */
  peakKb: number;
  /** VmRSS before any load. */
  idleKb: number;
  /** Extra facts the server reported about itself (e.g. audit records retained). */
  notes?: string;
}
