import { spawn } from "node:child_process";

/** A git command failed; the message is one line a user can act on (never a stack trace). */
export class GitError extends Error {
  override name = "GitError";
}

/**
 * Runs `git <args>` in `cwd` and resolves with its standard output as bytes (blobs may be
 * binary). A non-zero exit rejects with a {@link GitError} carrying git's first error line.
 */
export function runGit(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, { cwd, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(new GitError(error.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${error.message}`));
    });
    child.on("close", (code) => {
      if (code === 0) return resolvePromise(Buffer.concat(out));
      const first = Buffer.concat(err).toString("utf8").trim().split("\n")[0] ?? "";
      reject(new GitError(`git ${args[0]} failed${first ? `: ${first}` : ` (exit ${code})`}`));
    });
    if (child.stdin && input !== undefined) {
      // A git that exits early closes its stdin; its exit code tells what went wrong, not EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

/** Runs git and returns its output as trimmed text. */
export async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await runGit(cwd, args)).toString("utf8").trim();
}
