import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayResponse, NodeReadableBody, TakenReadable } from "../../ports/http-types.ts";
import { BodyWriter } from "./body-writer.ts";

/**
 * Writes the engine's answer to the Node response: the head, then the body (bytes at once, an
 * undici Readable piped, anything else iterated with backpressure). Resolves when the body is
 * finished, abandoned by the client, or cut after an upstream failure.
 */
export async function writeResponse(
  response: GatewayResponse,
  req: IncomingMessage,
  res: ServerResponse,
  signal: { readonly aborted: boolean },
): Promise<void> {
  const { body } = response;
  const headers = body instanceof Uint8Array ? { ...response.headers, "content-length": String(body.byteLength) } : response.headers;
  if (!res.destroyed) res.writeHead(response.status, headers);
  if (body === null || body instanceof Uint8Array) {
    res.end(req.method === "HEAD" ? undefined : (body ?? undefined));
    return;
  }
  const pipeable = body as NodeReadableBody;
  if (req.method !== "HEAD" && pipeable.takeReadable !== undefined && pipeable.settle !== undefined) {
    const taken = pipeable.takeReadable();
    if (taken !== null) return pipe(taken, pipeable, new BodyWriter(res, headers["content-length"]), res, signal);
  }
  const iterator = body[Symbol.asyncIterator]();
  const out = new BodyWriter(res, headers["content-length"]);
  try {
    while (!signal.aborted) {
      const step = await iterator.next();
      if (step.done) break;
      if (req.method === "HEAD") continue; // a HEAD answer has no body; reading it lets the audit complete
      if (!out.write(step.value) && !signal.aborted) {
        await Promise.race([once(res, "drain"), once(res, "close")]);
      }
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
 * Streams a Node Readable (undici's body) straight into the response, as `readable.pipe(res)`
 * does with backpressure but with the byte count and the body's filter (the secret scrubber)
 * in the same 'data' listener, and settles the
 * body's audit exactly once: at the end (before `res.end()`, as the iterator path does), on an
 * upstream error (before the connection is cut, so the error is the recorded cause), or when
 * the client goes away (the upstream body is destroyed, which aborts the upstream request).
 */
function pipe(taken: TakenReadable, body: NodeReadableBody, out: BodyWriter, res: ServerResponse, signal: { readonly aborted: boolean }): Promise<void> {
  const { readable: upstream, filter } = taken;
  const settle = body.settle!.bind(body);
  if (signal.aborted || res.destroyed) {
    upstream.destroy();
    return settle(0, false);
  }
  return new Promise<void>((resolve, reject) => {
    let bytes = 0;
    let over = false;
    upstream.on("data", (chunk: Uint8Array) => {
      const sent = filter === null ? chunk : filter.push(chunk);
      if (sent === null) return;
      bytes += sent.byteLength;
      if (!out.write(sent)) upstream.pause();
    });
    upstream.on("end", () => {
      if (over) return;
      over = true;
      const rest = filter?.end() ?? null;
      if (rest !== null) {
        bytes += rest.byteLength;
        out.write(rest);
      }
      settle(bytes, true).then(() => {
        if (!signal.aborted) out.end();
        resolve();
      }, reject);
    });
    // Stays attached after the end: a destroyed body may still emit an error, which must not go unhandled.
    upstream.on("error", (error: unknown) => {
      if (over) return;
      over = true;
      const settled = settle(bytes, false, error);
      // The upstream body broke mid-way: the head is sent, so all we can do is cut the connection.
      res.destroy();
      settled.then(resolve, reject);
    });
    res.on("drain", () => upstream.resume());
    res.on("close", () => {
      if (over) return;
      over = true;
      upstream.destroy();
      settle(bytes, false).then(resolve, reject);
    });
  });
}
