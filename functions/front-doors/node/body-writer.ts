import type { ServerResponse } from "node:http";

/**
 * Writes a proxied body into the response so that a client never holds a complete response
 * whose audit record is not yet committed. The front door ends a response only after its body's
 * audit record is written (`settle`, or the body's iterator reporting done), but a client counts
 * a response with a Content-Length complete at its last byte, which `write` would have sent
 * before that: so the chunk that completes such a body is kept and sent by {@link end} (one
 * write, as `res.end(chunk)`; nothing is split). A chunked body needs nothing kept: its end is the
 * terminating chunk, which only `res.end()` sends. If the process is killed in between, the
 * client sees a cut response, never a whole one unaudited.
 */
export class BodyWriter {
  /** Bytes until the declared length; Infinity without one (chunked). */
  private left: number;
  private held: Uint8Array | null = null;

  constructor(
    private readonly res: ServerResponse,
    contentLength: string | string[] | undefined,
  ) {
    const declared = typeof contentLength === "string" ? Number(contentLength) : Number.NaN;
    this.left = Number.isSafeInteger(declared) && declared > 0 ? declared : Number.POSITIVE_INFINITY;
  }

  /** As `res.write`: false when the caller should wait for 'drain'. */
  write(chunk: Uint8Array): boolean {
    if (this.held !== null) {
      // More than the declared length (undici refuses that first): nothing left to keep back.
      this.res.write(this.held);
      this.held = null;
    }
    this.left -= chunk.byteLength;
    if (this.left > 0 || chunk.byteLength === 0) return this.res.write(chunk);
    // The last chunk of the declared length: kept (at most one chunk) until the audit is written.
    this.held = chunk;
    return true;
  }

  /** Ends the response with the chunk kept back, if any (call it once the audit record is written). */
  end(): void {
    if (this.held === null) this.res.end();
    else this.res.end(this.held);
    this.held = null;
  }
}
