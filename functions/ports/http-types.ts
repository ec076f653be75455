/**
 * The HTTP shapes the engine speaks, independent of any runtime. Front doors translate their
 * native request into a {@link GatewayRequest} and write a {@link GatewayResponse} back.
 */

/** A body: streamed chunks, bytes at once, or none. */
export type Body = AsyncIterable<Uint8Array> | Uint8Array | null;

/** Header map with lower-case names; repeated headers are arrays (Node's shape). */
export type HeaderMap = Record<string, string | string[] | undefined>;

/**
 * "The client went away": the part of `AbortSignal` the engine and the upstream client use. A
 * real `AbortSignal` is one; the Node front door passes a lighter object of its own, since an
 * AbortController per request cost measurable CPU on the hot path.
 */
export interface ClientSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/** What is told of an abort: a function, or an object's `handleEvent` (no closure per request), as EventTarget allows. */
export type AbortListener = (() => void) | { handleEvent(): void };

/** An incoming request as the front door received it. */
export interface GatewayRequest {
  method: string;
  /** The raw path, percent-encoding untouched (no query). */
  path: string;
  /** The raw query string without `?`; empty when there is none. */
  query: string;
  headers: HeaderMap;
  body: Body;
  clientAddress: string;
  /** Aborted when the client goes away. */
  signal?: ClientSignal;
}

/**
 * A response for the front door to send. The front door must either read `body` to its end or
 * call `return()` on its iterator (for example when the client disconnects): the engine writes
 * the audit record when the body is finished either way.
 */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: AsyncIterable<Uint8Array> | Uint8Array | null;
}

/**
 * Where a {@link PushSource} delivers its body: one object with three methods rather than a
 * listener per event, since one is made per proxied request.
 */
export interface ChunkSink {
  /** One chunk; false asks the source to pause until its `resume()`. */
  onChunk(chunk: Uint8Array): boolean;
  /** The body ended whole. */
  onEnd(): void;
  /** The body broke off; nothing more follows. */
  onError(error: unknown): void;
}

/**
 * A streamed body that can push its chunks into one sink instead of being iterated (the upstream
 * client's response bodies): no promise, iterator step or microtask per chunk. The engine
 * recognises one by shape and destroys it when abandoned; the Node front door writes it to the
 * socket with backpressure.
 */
export interface PushSource extends AsyncIterable<Uint8Array> {
  /** Delivers the body to `sink`, the chunks already arrived first (synchronously). Once, and only if nothing iterated it. */
  pushTo(sink: ChunkSink): void;
  /** Resumes a delivery paused by `onChunk` returning false. */
  resume(): void;
  /** Stops the body and the upstream request behind it; nothing more reaches the sink. */
  destroy(): void;
}

/**
 * A synchronous rewrite of a streamed body, chunk by chunk (the engine's secret scrubber),
 * applied by whoever moves the bytes: the body's own iterator, or a front door that took its
 * push source. Output is never longer than input in total; bytes may be held back between chunks.
 */
export interface ChunkFilter {
  /** What to send now for `chunk`; null when all of it is held back for now. */
  push(chunk: Uint8Array): Uint8Array | null;
  /** What is still held back once the source has ended (null when nothing). */
  end(): Uint8Array | null;
}

/** What {@link PushableBody.takeSource} hands over: the source, and the filter every chunk of it must pass. */
export interface TakenSource {
  source: PushSource;
  filter: ChunkFilter | null;
}

/**
 * An optional fast path a streamed response body may offer a front door: the {@link PushSource}
 * underneath it (the upstream body), for writing straight into the socket rather than iterating
 * chunk by chunk. Front doors that do not know it iterate the body as usual.
 */
export interface PushableBody extends AsyncIterable<Uint8Array> {
  /**
   * The source when nothing has read the body yet, else null. Whoever takes it owns it: it must
   * pass every chunk through `filter` (and send `filter.end()` at the end), read it to its end or
   * destroy it, and call {@link settle} exactly once.
   */
  takeSource?(): TakenSource | null;
  /** Reports how the taken source finished (bytes written, whether it completed, the error). */
  settle?(bytes: number, completed: boolean, error?: unknown): Promise<void>;
}
