/** Where a command writes. Tests pass a recording one; the real one writes to the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Working directory that relative paths are taken from. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Everything on standard input (for values that must not appear in arguments). */
  stdin?: () => Promise<string>;
}

/**
 * A reader that went away (`gatehouse token list | head -1`) closes the pipe: the rest of the
 * output has nowhere to go, which is not an error of the command and never a stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount("error") === 0) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  return stream;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => quietOnClosedPipe(process.stdout).write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => quietOnClosedPipe(process.stderr).write(text.endsWith("\n") ? text : `${text}\n`),
  cwd: process.cwd(),
  env: process.env,
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong invocation: the message is printed with the usage line, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
