import type { AccessLine } from "../functions/front-doors/node/node-server.ts";

/** Lines written through {@link bufferedLines}. */
export interface BufferedLines {
  /** Adds one line (a newline is added); written out within `flushMs`, or at once past `maxBytes`. */
  write(line: string): void;
  /** Writes out what is buffered now (call it at shutdown, after the front door drained). */
  flush(): void;
}

/**
 * The access log's writer: lines gathered in memory and handed to `sink` in one write when
 * `maxBytes` (default 16 KiB) are buffered, `flushMs` (default 100 ms) after the first one, and
 * at `flush()`. One write per request cost a syscall each (stdout is synchronous for files and
 * pipes on Linux), a measurable part of a proxied request. The timer is unref'd, so it never
 * holds a process open; a process killed outright loses at most the last `flushMs` of access
 * lines, never an audit record (those go to the store).
 */
export function bufferedLines(sink: (text: string) => void, options: { maxBytes?: number; flushMs?: number } = {}): BufferedLines {
  const maxBytes = options.maxBytes ?? 16_384;
  const flushMs = options.flushMs ?? 100;
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending === "") return;
    const text = pending;
    pending = "";
    sink(text);
  };
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= maxBytes) flush();
      else if (timer === null) {
        timer = setTimeout(flush, flushMs);
        timer.unref?.();
      }
    },
    flush,
  };
}

/** The access line `gatehouse dev` prints for a finished request (no query, no headers). */
export function devAccessLine(a: AccessLine): string {
  return `${new Date().toISOString()} ${a.clientAddress} ${a.method} ${a.path} ${a.status} ${a.durationMs}ms ${a.requestId}`;
}
