import { GitError, gitText, runGit } from "./run-git.ts";

/** One side of a diff: what the user asked for and the commit it resolved to (null: the working tree). */
export interface RevisionInfo {
  /** As given (`origin/main`, `HEAD~1`) or `working tree`. */
  label: string;
  /** Full commit id; null for the working tree. */
  commit: string | null;
}

/** The two sides of a diff, and notes worth telling the user (for example a fallback). */
export interface Revisions {
  base: RevisionInfo & { commit: string };
  head: RevisionInfo;
  notes: string[];
}

/** The repository's top folder, or a {@link GitError} when `cwd` is not inside one. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return await gitText(cwd, ["rev-parse", "--show-toplevel"]);
  } catch (error) {
    if (error instanceof GitError) throw new GitError(`${cwd} is not inside a git repository (gatehouse diff reads definitions from git)`);
    throw error;
  }
}

/** The commit `rev` names, or a {@link GitError} saying it is unknown. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  if (rev.startsWith("-")) throw new GitError(`'${rev}' is not a revision`);
  try {
    return await gitText(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  } catch {
    throw new GitError(`unknown revision '${rev}': no branch, tag or commit by that name (in CI, fetch with fetch-depth: 0)`);
  }
}

async function exists(root: string, rev: string): Promise<boolean> {
  try {
    await runGit(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves `--base` and `--head`. The head defaults to the working tree. The base defaults to
 * `origin/main` when that exists (what a pull request merges into) and to `HEAD` otherwise (what
 * the working tree changed). Like `git diff base...head`, the base is then moved to the merge base
 * of the two, so commits that landed on the base branch after the pull request forked are not
 * shown as reverted by it.
 */
export async function resolveRevisions(root: string, options: { base?: string | undefined; head?: string | undefined }): Promise<Revisions> {
  const notes: string[] = [];
  const head: RevisionInfo =
    options.head === undefined ? { label: "working tree", commit: null } : { label: options.head, commit: await resolveCommit(root, options.head) };
  let baseLabel = options.base;
  if (baseLabel === undefined) {
    baseLabel = (await exists(root, "origin/main")) ? "origin/main" : "HEAD";
    if (baseLabel === "HEAD" && !(await exists(root, "HEAD"))) {
      throw new GitError("the repository has no commits yet, so there is no base to compare with; commit first or pass --base");
    }
  }
  const baseCommit = await resolveCommit(root, baseLabel);
  let commit = baseCommit;
  try {
    commit = await gitText(root, ["merge-base", baseCommit, head.commit ?? "HEAD"]);
  } catch {
    notes.push(`${baseLabel} and ${head.label} share no history (shallow clone?); comparing with ${baseLabel} itself`);
  }
  return { base: { label: baseLabel, commit }, head, notes };
}
