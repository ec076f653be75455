import type { NodeReadableBody, PipeableSource } from "../ports/http-types.ts";

/** How a body finished, as {@link auditedBody} reports it. */
export interface BodyResult {
  bytes: number;
  completed: boolean;
  error?: unknown;
}

/**
 * Wraps a response body so that `onDone` runs exactly once when the body ends, fails, or is
 * abandoned by the front door (`return()`), even if reading never started. A generator would
 * skip its `finally` when returned before its first `next()`, losing the audit record.
 */
export function auditedBody(source: AsyncIterable<Uint8Array>, onDone: (result: BodyResult) => Promise<void>): NodeReadableBody {
  return new AuditedBody(source, onDone);
}

/**
 * The wrapper as one object that is its own iterator: state in fields rather than closures,
 * since one is made per proxied request.
 */
class AuditedBody implements NodeReadableBody, AsyncIterator<Uint8Array> {
  private bytes = 0;
  private finished: Promise<void> | null = null;
  private inner: AsyncIterator<Uint8Array> | null = null;
  /** Set when a front door took the Node Readable to pipe it: the iterator is then unusable. */
  private taken = false;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly onDone: (result: BodyResult) => Promise<void>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /**
   * Hands the source over when it is a Node Readable (undici's body) nobody has read: piping it
   * skips a promise, an iterator step and a microtask per chunk.
   */
  takeReadable(): PipeableSource | null {
    if (this.taken || this.inner !== null || this.finished !== null || !isNodeReadable(this.source)) return null;
    this.taken = true;
    return this.source;
  }

  settle(bytes: number, completed: boolean, error?: unknown): Promise<void> {
    this.bytes = bytes;
    return this.finish(completed, error);
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished || this.taken) return { done: true, value: undefined };
    this.inner ??= this.source[Symbol.asyncIterator]();
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.inner.next();
    } catch (error) {
      await this.finish(false, error);
      throw error;
    }
    if (step.done) {
      await this.finish(true);
      return { done: true, value: undefined };
    }
    this.bytes += step.value.byteLength;
    return step;
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.finished) {
      if (this.taken) {
        // Abandoned after being taken but before being settled: stop the upstream and audit.
        (this.source as PipeableSource).destroy();
        await this.finish(false);
        return { done: true, value: undefined };
      }
      try {
        await (this.inner ?? this.source[Symbol.asyncIterator]()).return?.();
      } catch {
        // The upstream body is being abandoned; its own error does not matter now.
      }
      await this.finish(false);
    }
    return { done: true, value: undefined };
  }

  private finish(completed: boolean, error?: unknown): Promise<void> {
    this.finished ??= this.onDone(error !== undefined ? { bytes: this.bytes, completed, error } : { bytes: this.bytes, completed });
    return this.finished;
  }
}

function isNodeReadable(source: AsyncIterable<Uint8Array>): source is PipeableSource {
  const candidate = source as Partial<Record<keyof PipeableSource, unknown>>;
  return (
    typeof candidate.pipe === "function" &&
    typeof candidate.on === "function" &&
    typeof candidate.pause === "function" &&
    typeof candidate.resume === "function" &&
    typeof candidate.destroy === "function"
  );
}
