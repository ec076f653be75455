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

/**
 * Environment of the processes that serve. `MALLOC_ARENA_MAX=1`: glibc's malloc gives every
 * thread that allocates an arena of its own (V8's compiler and GC threads, the SQLite store's
 * checkpoint thread), and memory freed in one stays resident in it: under load five such arenas
 * held 20 MB of a bare undici proxy's 122 MB. With one arena the peak RSS of gatehouse fell by
 * 5-24 MB (memory store, median of three processes a side 138 -> 128 MB; SQLite 156 -> 150; the
 * bare proxy 121 -> 110) at no CPU cost the bench could see, and no more futex waits under
 * `strace -f` (bench/results/2026-12-07-runs.txt). Read by glibc at start-up only
 * (https://sourceware.org/glibc/manual/latest/html_node/Memory-Allocation-Tunables.html);
 * other C libraries ignore it.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "1" };

/** The commands that run a server and so get {@link SERVER_NODE_FLAGS} and {@link SERVER_ENV}. */
const SERVER_COMMANDS = new Set(["dev", "serve"]);

/** How to re-execute a server command: node's argument vector and the environment. */
export interface ServerReexec {
  args: string[];
  env: Record<string, string | undefined>;
}

/**
 * How to re-execute this process (`process.execve`, same pid, same stdio), or null to go on as is:
 * not a server command, or every flag and variable already chosen. A choice of the user's wins:
 * a flag named on node's command line or in NODE_OPTIONS, a variable already in the environment
 * (even empty). The re-executed process then finds everything chosen and stops here.
 */
export function serverReexec(
  execPath: string,
  execArgv: readonly string[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerReexec | null {
  if (!SERVER_COMMANDS.has(argv[2] ?? "")) return null;
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)];
  const flags = SERVER_NODE_FLAGS.filter((flag) => {
    const name = flag.split("=")[0]!;
    return !given.some((g) => g === name || g.startsWith(`${name}=`));
  });
  const variables = Object.entries(SERVER_ENV).filter(([name]) => env[name] === undefined);
  if (flags.length === 0 && variables.length === 0) return null;
  return { args: [execPath, ...execArgv, ...flags, ...argv.slice(1)], env: { ...env, ...Object.fromEntries(variables) } };
}
