import type { Body } from "../../ports/http-types.ts";

/** The client's body as sent upstream, with what went on reading it. */
export interface TrackedBody {
  body: Body;
  /** An error thrown while reading the client's body, so it is not mistaken for an upstream failure. */
  error: () => unknown;
  /** Whether undici is waiting for the client's next chunk right now (a stalled client, not a slow upstream). */
  waitingOnClient: () => boolean;
}

/**
 * The client's streamed body wrapped so that its own failures and stalls can be told apart from
 * the upstream's (undici reports both as the request failing).
 */
export function trackBody(body: AsyncIterable<Uint8Array>): TrackedBody {
  let failure: unknown;
  let waiting = false;
  const source = body;
  return {
    body: (async function* tracked() {
      const iterator = source[Symbol.asyncIterator]();
      try {
        for (;;) {
          waiting = true;
          const step = await iterator.next();
          waiting = false;
          if (step.done) return;
          yield step.value;
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        waiting = false;
        await iterator.return?.();
      }
    })(),
    error: () => failure,
    waitingOnClient: () => waiting,
  };
}
