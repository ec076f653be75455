import { execFileSync } from "node:child_process";
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** An earlier commit checked out beside the working tree, to measure against. */
export interface CommitWorktree {
  /** The commit's short hash. */
  sha: string;
  /** Its checkout: `.tmp/<prefix>-<sha>` inside the repository (git-ignored), sharing this checkout's node_modules. */
  tree: string;
  /** Removes the checkout (`git worktree remove --force`). */
  remove: () => void;
}

/** Checks `commit` out with `git worktree` (or reuses a checkout left by an interrupted run). */
export function checkoutCommit(commit: string, prefix: string): CommitWorktree {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  const sha = git("rev-parse", "--short", commit);
  const tree = join(ROOT, ".tmp", `${prefix}-${sha}`);
  if (!existsSync(tree)) git("worktree", "add", "--detach", tree, sha);
  if (!existsSync(join(tree, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"));
  return { sha, tree, remove: () => void git("worktree", "remove", "--force", tree) };
}
