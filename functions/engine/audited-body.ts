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
export function auditedBody(source: AsyncIterable<Uint8Array>, onDone: (result: BodyResult) => Promise<void>): AsyncIterable<Uint8Array> {
  return new AuditedBody(source, onDone);
}

/**
 * The wrapper as one object that is its own iterator: state in fields rather than closures,
 * since one is made per proxied request.
 */
class AuditedBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  private bytes = 0;
  private finished: Promise<void> | null = null;
  private inner: AsyncIterator<Uint8Array> | null = null;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly onDone: (result: BodyResult) => Promise<void>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return { done: true, value: undefined };
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
