import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundleServer } from "./bundle-server.ts";

const RUN_TS = fileURLToPath(new URL("../../cli/run-ts.mjs", import.meta.url));

/** A server running in its own process, and the first JSON line it printed. */
export interface RunningChild<T> {
  child: ChildProcess;
  pid: number;
  ready: T;
  /** Lines the child printed to stdout after its ready line (for example its final stats). */
  lines: string[];
  /** Resolves when the child prints a line matching `match` (or has printed one); rejects after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<void>;
  /** Asks the child to stop (SIGTERM), waits for it; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Bundles `script` (relative to bench/) and starts `node [nodeFlags] <bundle> [args]`, so the
 * measured server has its own pid (its RSS is its own) and its own event loop. Resolves with
 * the child's first stdout line parsed as JSON; rejects with the child's stderr when it exits
 * first or takes over `timeoutMs`. With `tsx` the source runs unbundled (a CPU profile then
 * names the original files); with `wrapper`, node runs under that command (valgrind).
 */
export async function startServerChild<T>(
  script: string,
  args: string[],
  options: { nodeFlags?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv; tsx?: boolean; wrapper?: string[] } = {},
): Promise<RunningChild<T>> {
  const entry = options.tsx ? [RUN_TS, fileURLToPath(new URL(`../${script}`, import.meta.url))] : [await bundleServer(script)];
  // `wrapper` (for example valgrind and its flags) runs node under another program; the pid is then the wrapper's.
  const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath];
  const child = spawn(command!, [...prefix, ...(options.nodeFlags ?? []), ...entry, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    // As in cli/bin.mjs: the SDK's Node 22 notice is not a benchmark finding.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...(options.env ?? process.env) },
  });
  return new Promise((resolve, reject) => {
    let buffered = "";
    let stderr = "";
    let ready: T | undefined;
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not report ready in ${options.timeoutMs ?? 60_000} ms: ${stderr.trim().slice(-500)}`));
    }, options.timeoutMs ?? 60_000);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.stdout!.on("data", (d: Buffer) => {
      buffered += d.toString();
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        if (ready !== undefined) {
          lines.push(line);
          for (const wake of waiters) wake();
          continue;
        }
        try {
          ready = JSON.parse(line) as T;
        } catch {
          continue; // not the ready line (a library's banner)
        }
        clearTimeout(timer);
        const stop = async (graceMs = 10_000) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          await exited;
          clearTimeout(killer);
        };
        const waitForLine = (match: (line: string) => boolean, timeoutMs: number) =>
          new Promise<void>((done, fail) => {
            const check = () => {
              if (!lines.some(match)) return;
              waiters.delete(check);
              clearTimeout(limit);
              done();
            };
            const limit = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`${script} did not print the expected line within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        resolve({ child, pid: child.pid!, ready, lines, stop, waitForLine });
      }
    });
    child.once("exit", (code, signal) => {
      if (ready !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before it was ready: ${stderr.trim().slice(-800)}`));
    });
  });
}
