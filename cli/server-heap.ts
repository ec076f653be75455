/**
 * V8 flags of the processes that serve (`gatehouse dev`, `gatehouse serve`). Node 24 lets the
 * young generation grow to 64 MB (two 32 MB semi-spaces) on a machine with this much memory, and a
 * gateway under load fills it: a bare undici proxy peaked at 128-161 MB of RSS, gatehouse at
 * 199-236 MB. With 8 MB semi-spaces the peak fell to 140 MB (memory store, 32 connections) at no
 * measurable CPU cost: what survives a scavenge is the few requests in flight, not the garbage
 * (bench/results/2026-12-02-guard.md). The size can only be set when the process starts
 * (`v8.setFlagsFromString` after start-up does not resize it; tried), hence the re-exec below.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/** The commands that run a server and so get {@link SERVER_NODE_FLAGS}. */
const SERVER_COMMANDS = new Set(["dev", "serve"]);

/**
 * The argument vector to re-execute this process with (`process.execve`, same pid, same stdio),
 * or null to go on as is: not a server command, or a semi-space size already chosen (on the
 * command line or in NODE_OPTIONS: the user's choice wins, and the re-executed process stops here).
 */
export function serverReexecArgs(execPath: string, execArgv: readonly string[], argv: readonly string[], nodeOptions: string | undefined): string[] | null {
  if (!SERVER_COMMANDS.has(argv[2] ?? "")) return null;
  const chosen = (flags: readonly string[]) => flags.some((f) => f.startsWith("--max-semi-space-size"));
  if (chosen(execArgv) || chosen((nodeOptions ?? "").split(/\s+/))) return null;
  return [execPath, ...execArgv, ...SERVER_NODE_FLAGS, ...argv.slice(1)];
}
