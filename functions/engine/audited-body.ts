/**
 * Wraps a response body so that `onDone` runs exactly once when the body ends, fails, or is
 * abandoned by the front door (`return()`), even if reading never started. A generator would
 * skip its `finally` when returned before its first `next()`, losing the audit record.
 */
export function auditedBody(
  source: AsyncIterable<Uint8Array>,
  onDone: (result: { bytes: number; completed: boolean; error?: unknown }) => Promise<void>,
): AsyncIterable<Uint8Array> {
  let bytes = 0;
  let finished: Promise<void> | null = null;
  const finish = (completed: boolean, error?: unknown) => (finished ??= onDone({ bytes, completed, ...(error !== undefined ? { error } : {}) }));
  let inner: AsyncIterator<Uint8Array> | null = null;
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      if (finished) return { done: true, value: undefined };
      inner ??= source[Symbol.asyncIterator]();
      try {
        const step = await inner.next();
        if (step.done) {
          await finish(true);
          return { done: true, value: undefined };
        }
        bytes += step.value.byteLength;
        return step;
      } catch (error) {
        await finish(false, error);
        throw error;
      }
    },
    async return() {
      if (!finished) {
        try {
          await (inner ?? source[Symbol.asyncIterator]()).return?.();
        } catch {
          // The upstream body is being abandoned; its own error does not matter now.
        }
        await finish(false);
      }
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
