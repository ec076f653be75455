/** One part of the Lambda bundle: a package (or a folder of ours) and its bytes in the output. */
export interface Contributor {
  /** `undici`, `@smithy/core`, or `functions/oauth` for our own code. */
  name: string;
  bytes: number;
  /** The biggest single input file of this part. */
  largest: { path: string; bytes: number };
}

/**
 * Groups esbuild metafile inputs (bytes in the output per file) by npm package, our own files by
 * their top two folders, biggest first: the "what is in the bundle" list of the cold-start report.
 *
 * @example
 * bundleContributors([{ path: "node_modules/undici/lib/core/util.js", bytes: 11000 }])
 * // [{ name: "undici", bytes: 11000, largest: { path: "node_modules/undici/lib/core/util.js", bytes: 11000 } }]
 */
export function bundleContributors(inputs: ReadonlyArray<{ path: string; bytes: number }>): Contributor[] {
  const groups = new Map<string, Contributor>();
  for (const input of inputs) {
    const name = packageOf(input.path);
    const group = groups.get(name) ?? { name, bytes: 0, largest: input };
    group.bytes += input.bytes;
    if (input.bytes > group.largest.bytes) group.largest = input;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

function packageOf(path: string): string {
  const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules) return inModules[1]!;
  const parts = path.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : path;
}
