import type { RevisionInfo } from "./resolve-revisions.ts";

/**
 * "origin/main (3f2a1b9)" or "the working tree": how a side of the diff is named in output.
 * `quote` wraps the revision name (markdown puts it in code).
 */
export function describeRevision(revision: RevisionInfo, quote: (name: string) => string = (name) => name): string {
  return revision.commit === null ? "the working tree" : `${quote(revision.label)} (${revision.commit.slice(0, 7)})`;
}
