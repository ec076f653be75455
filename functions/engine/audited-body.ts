import type { ChunkFilter, PushableBody, PushSource, TakenSource } from "../ports/http-types.ts";

/** How a body finished, as {@link auditedBody} reports it. */
export interface BodyResult {
  bytes: number;
  completed: boolean;
  error?: unknown;
}

/**
 * Wraps a response body so that `onDone` runs exactly once when the body ends, fails, or is
 * abandoned by the front door (`return()`), even if reading never started. A generator would
 * skip its `finally` when returned before its first `next()`, losing the audit record. Every
 * chunk passes `filter` (the secret scrubber) on the way out, in this iterator or in the front
 * door that takes the source: one layer per body, not one async iterator per rewrite.
 */
export function auditedBody(source: AsyncIterable<Uint8Array>, filter: ChunkFilter | null, onDone: (result: BodyResult) => Promise<void>): PushableBody {
  return new AuditedBody(source, filter, onDone);
}

/**
 * The wrapper as one object that is its own iterator: state in fields rather than closures,
 * since one is made per proxied request.
 */
class AuditedBody implements PushableBody, AsyncIterator<Uint8Array> {
  private bytes = 0;
  private finished: Promise<void> | null = null;
  private inner: AsyncIterator<Uint8Array> | null = null;
  /** The source has ended (the filter's held-back rest may still be on its way). */
  private sourceDone = false;
  /** Set when a front door took the push source: the iterator is then unusable. */
  private taken = false;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly filter: ChunkFilter | null,
    private readonly onDone: (result: BodyResult) => Promise<void>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /**
   * Hands the source over when it is a push source (the upstream client's body) nobody has read:
   * pushing skips a promise, an iterator step and a microtask per chunk. The taker applies the filter.
   */
  takeSource(): TakenSource | null {
    if (this.taken || this.inner !== null || this.finished !== null || !isPushSource(this.source)) return null;
    this.taken = true;
    return { source: this.source, filter: this.filter };
  }

  settle(bytes: number, completed: boolean, error?: unknown): Promise<void> {
    this.bytes = bytes;
    return this.finish(completed, error);
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished || this.taken) return { done: true, value: undefined };
    this.inner ??= this.source[Symbol.asyncIterator]();
    for (;;) {
      if (this.sourceDone) {
        await this.finish(true);
        return { done: true, value: undefined };
      }
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.inner.next();
      } catch (error) {
        await this.finish(false, error);
        throw error;
      }
      let out: Uint8Array | null;
      if (step.done) {
        this.sourceDone = true;
        out = this.filter?.end() ?? null;
      } else out = this.filter ? this.filter.push(step.value) : step.value;
      if (out === null || out.byteLength === 0) continue;
      this.bytes += out.byteLength;
      return { done: false, value: out };
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.finished) {
      if (this.taken) {
        // Abandoned after being taken but before being settled: stop the upstream and audit.
        (this.source as PushSource).destroy();
        await this.finish(false);
        return { done: true, value: undefined };
      }
      try {
        if (!this.sourceDone) await (this.inner ?? this.source[Symbol.asyncIterator]()).return?.();
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

function isPushSource(source: AsyncIterable<Uint8Array>): source is PushSource {
  const candidate = source as Partial<PushSource>;
  return typeof candidate.pushTo === "function" && typeof candidate.resume === "function" && typeof candidate.destroy === "function";
}
