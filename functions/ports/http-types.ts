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
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

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
 * The part of a Node Readable (undici's response body) the fast path uses: the engine recognises
 * one by shape and destroys it when abandoned, the Node front door pipes it with backpressure.
 * Written out here rather than as `NodeJS.ReadableStream` so the ports and the engine stay
 * runtime-neutral.
 */
export interface PipeableSource extends AsyncIterable<Uint8Array> {
  pipe(destination: never, options?: never): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
}

/**
 * A synchronous rewrite of a streamed body, chunk by chunk (the engine's secret scrubber),
 * applied by whoever moves the bytes: the body's own iterator, or a front door piping its
 * Readable. Output is never longer than input in total; bytes may be held back between chunks.
 */
export interface ChunkFilter {
  /** What to send now for `chunk`; null when all of it is held back for now. */
  push(chunk: Uint8Array): Uint8Array | null;
  /** What is still held back once the source has ended (null when nothing). */
  end(): Uint8Array | null;
}

/** What {@link NodeReadableBody.takeReadable} hands over: the Readable, and the filter every chunk of it must pass. */
export interface TakenReadable {
  readable: PipeableSource;
  filter: ChunkFilter | null;
}

/**
 * An optional fast path a streamed response body may offer a Node front door: the Node
 * Readable underneath it (undici's body), for piping straight into the socket rather than
 * iterating chunk by chunk. Front doors that do not know it iterate the body as usual.
 */
export interface NodeReadableBody extends AsyncIterable<Uint8Array> {
  /**
   * The underlying Node Readable when nothing has read the body yet, else null. Whoever takes
   * it owns it: it must pass every chunk through `filter` (and send `filter.end()` at the end),
   * read it to its end or destroy it, and call {@link settle} exactly once.
   */
  takeReadable?(): TakenReadable | null;
  /** Reports how the taken Readable finished (bytes written, whether it completed, the error). */
  settle?(bytes: number, completed: boolean, error?: unknown): Promise<void>;
}
