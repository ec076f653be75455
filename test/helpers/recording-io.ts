import type { CliIo } from "../../cli/io.ts";

/** A CliIo that keeps what a command printed, for assertions. */
export function recordingIo(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = {}): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    env,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
  };
}
