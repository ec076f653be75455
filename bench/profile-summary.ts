/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) the summary reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function (or file), summed over the profile. */
export interface SelfTime {
  name: string;
  selfMs: number;
  percent: number;
}

/** Top functions and files by self time, excluding idle time from the percentages' base. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: SelfTime[];
  files: SelfTime[];
}

/** Shortens a frame's URL: repo files relative to the repo, node_modules to the package, node internals as-is. */
export function shortUrl(url: string, root: string): string {
  if (!url) return "";
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + "/node_modules/".length);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/**
 * Sums self time per function and per file from the sample stream (each sample's time delta
 * is charged to the node on top of the stack), and ranks them. `(idle)` is reported apart:
 * percentages are of busy time.
 */
export function summarizeCpuProfile(profile: CpuProfile, root: string, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    // V8 records the delta before sample i; charging it to sample i matches what DevTools shows.
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const file = shortUrl(frame.url, root);
    // No line numbers: code run through tsx reports its transformed lines, which mislead.
    const fn = `${frame.functionName || "(anonymous)"}${file ? ` (${file})` : ""}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const fileKey = file || frame.functionName;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, functions: rank(functions), files: rank(files) };
}

/** The summary as report lines. */
export function formatProfileSummary(summary: ProfileSummary): string[] {
  const row = (s: SelfTime) => `  ${s.percent.toFixed(1).padStart(5)}%  ${s.selfMs.toFixed(0).padStart(7)} ms  ${s.name}`;
  return [
    `sampled ${(summary.totalMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s; percentages are of busy time`,
    "top functions by self time:",
    ...summary.functions.map(row),
    "top files by self time:",
    ...summary.files.map(row),
  ];
}
