import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChunkFilter, ChunkSink, ClientSignal, GatewayResponse, PushableBody, PushSource } from "../../ports/http-types.ts";
import { BodyWriter } from "./body-writer.ts";
import { drainOrClose } from "../drain-or-close.ts";
import type { EndingResponse, TurnEnds } from "./turn-ends.ts";

/** What {@link writeResponse} answers when the body is written at once. */
const WRITTEN: Promise<void> = Promise.resolve();

/**
 * Writes the engine's answer to the Node response: the head, then the body (bytes at once, a
 * push source pushed into the socket, anything else iterated with backpressure). Resolves when the body is
 * finished, abandoned by the client, or cut after an upstream failure. A pushed body's end goes
 * through `ends` when given (the server's {@link TurnEnds}). Not an async function:
 * one that returns the pushed body's promise would add its own and two microtask turns to every
 * proxied response.
 */
export function writeResponse(
  response: GatewayResponse,
  req: IncomingMessage,
  res: ServerResponse,
  signal: ClientSignal,
  ends: TurnEnds | null = null,
): Promise<void> {
  const { body } = response;
  const headers = body instanceof Uint8Array ? { ...response.headers, "content-length": String(body.byteLength) } : response.headers;
  if (!res.destroyed) res.writeHead(response.status, headers);
  if (body === null || body instanceof Uint8Array) {
    res.end(req.method === "HEAD" ? undefined : (body ?? undefined));
    return WRITTEN;
  }
  const out = new BodyWriter(res, headers["content-length"]);
  const pushable = body as PushableBody;
  if (req.method !== "HEAD" && pushable.takeSource !== undefined && pushable.settle !== undefined) {
    const taken = pushable.takeSource();
    if (taken !== null) {
      if (!signal.aborted && !res.destroyed) return new PushedBody(taken.source, taken.filter, pushable, out, res, signal, ends).done;
      taken.source.destroy();
      return pushable.settle(0, false);
    }
  }
  return iterateBody(body, req, res, out, signal);
}

/** Writes a body that can only be iterated (bytes from a Lambda-shaped source, a HEAD answer's drained body). */
async function iterateBody(body: AsyncIterable<Uint8Array>, req: IncomingMessage, res: ServerResponse, out: BodyWriter, signal: ClientSignal): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  try {
    while (!signal.aborted) {
      const step = await iterator.next();
      if (step.done) break;
      if (req.method === "HEAD") continue; // a HEAD answer has no body; reading it lets the audit complete
      if (!out.write(step.value) && !signal.aborted) await drainOrClose(res);
    }
  } catch {
    // The upstream body broke mid-way: the head is sent, so all we can do is cut the connection.
    res.destroy();
    return;
  } finally {
    await iterator.return?.();
  }
  if (!signal.aborted) out.end();
}

/**
 * Writes a pushed body (the upstream's) straight into the response, as `readable.pipe(res)` does
 * with backpressure but with the byte count and the body's filter (the secret scrubber) in the
 * same step, and settles the body's audit exactly once: at the end (before `res.end()`, as the
 * iterator path does), on an upstream error (before the connection is cut, so the error is the
 * recorded cause), or when the client goes away (the source is destroyed, which aborts the
 * upstream request). One object per response: no listener per event, a 'drain' listener only
 * once a write has had to wait.
 */
class PushedBody implements ChunkSink, EndingResponse {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;
  private bytes = 0;
  private over = false;
  private onDrain: (() => void) | null = null;
  private awaitingDrain = false;

  constructor(
    private readonly source: PushSource,
    private readonly filter: ChunkFilter | null,
    /** The body the source was taken from: its `settle` writes the audit record. */
    private readonly body: PushableBody,
    private readonly out: BodyWriter,
    private readonly res: ServerResponse,
    private readonly signal: ClientSignal,
    private readonly ends: TurnEnds | null,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // The front door aborts the signal when the response closes unfinished: the client left.
    signal.addEventListener("abort", this);
    source.pushTo(this);
  }

  onChunk(chunk: Uint8Array): boolean {
    const sent = this.filter === null ? chunk : this.filter.push(chunk);
    if (sent === null) return true;
    this.bytes += sent.byteLength;
    if (this.out.write(sent)) return true;
    if (!this.awaitingDrain) {
      this.awaitingDrain = true;
      this.res.once("drain", (this.onDrain ??= () => this.resumeSource()));
    }
    return false;
  }

  onEnd(): void {
    if (this.over) return;
    this.over = true;
    const rest = this.filter?.end() ?? null;
    if (rest !== null) {
      this.bytes += rest.byteLength;
      this.out.write(rest);
    }
    this.body.settle!(this.bytes, true).then(() => {
      if (this.ends === null) this.finish();
      else this.ends.end(this);
    }, this.reject);
  }

  /** Sends the kept last bytes (the audit record is written), unless the client has gone. */
  finish(): void {
    try {
      if (!this.signal.aborted) this.out.end();
    } catch (error) {
      this.reject(error);
      return;
    }
    this.resolve();
  }

  onError(error: unknown): void {
    if (this.over) return;
    this.over = true;
    const settled = this.body.settle!(this.bytes, false, error);
    // The upstream body broke mid-way: the head is sent, so all we can do is cut the connection.
    this.res.destroy();
    settled.then(this.resolve, this.reject);
  }

  private resumeSource(): void {
    this.awaitingDrain = false;
    this.source.resume();
  }

  /** The client went away. */
  handleEvent(): void {
    if (this.over) return;
    this.over = true;
    this.source.destroy();
    this.body.settle!(this.bytes, false).then(this.resolve, this.reject);
  }
}
