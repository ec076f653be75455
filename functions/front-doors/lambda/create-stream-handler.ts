import type { Writable } from "node:stream";
import type { ApiGatewayV2Event, LambdaContext } from "./apigw-v2-types.ts";
import { once, unavailable } from "./create-handler.ts";
import { responseHead } from "./response-head.ts";
import { toGatewayRequest } from "./to-gateway-request.ts";
import { drainOrClose } from "../drain-or-close.ts";
import type { AwsGateway } from "./wire-aws.ts";

/** The response prelude of a streamed Function URL answer. */
export interface StreamPrelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/**
 * `awslambda.HttpResponseStream.from`: attaches the prelude to the runtime's response stream.
 * A global of the Lambda Node runtime, passed in so the handler runs anywhere.
 */
export type AttachPrelude = (stream: Writable, prelude: StreamPrelude) => Writable;

/**
 * Attaches the prelude and sends it at once. The runtime's `HttpResponseStream.from` writes the
 * prelude only from inside the stream's first `write()`; an `end(chunk)` or `end()` without a
 * prior `write()` bypasses it and the Function URL answers a bare 502 (or a bare 200 for an empty
 * body). See aws/aws-lambda-nodejs-runtime-interface-client src/HttpResponseStream.js and
 * src/ResponseStream.js, and its issue #97; AWS's powertools-lambda-typescript writes an empty
 * chunk first for the same reason. So every answer starts with this empty `write()`.
 */
export function openWithPrelude(attach: AttachPrelude, stream: Writable, prelude: StreamPrelude): Writable {
  const out = attach(stream, prelude);
  out.write("");
  return out;
}

/** A response-streaming handler (before `awslambda.streamifyResponse`). */
export type StreamingHandler = (event: ApiGatewayV2Event, responseStream: Writable, context?: LambdaContext) => Promise<void>;

/**
 * The Function URL door (invoke mode RESPONSE_STREAM) for endpoints whose timeout is beyond API
 * Gateway's 30 s: same event format, but the body is written as it arrives (up to 200 MB, with
 * backpressure) instead of buffered. The engine's body is always read to its end or returned, so
 * the audit record is written before the invocation ends.
 */
export function createStreamHandler(wire: () => Promise<AwsGateway>, attach: AttachPrelude): StreamingHandler {
  const gatewayOnce = once(wire);
  return async (event, responseStream) => {
    let wired;
    try {
      wired = await gatewayOnce();
    } catch (error) {
      const problem = unavailable(error);
      const out = openWithPrelude(attach, responseStream, { statusCode: problem.statusCode, headers: problem.headers, cookies: [] });
      out.write(problem.body);
      out.end();
      return;
    }
    // Not a disconnect signal: the runtime tells a handler nothing when the Function URL client
    // leaves (aws/aws-lambda-nodejs-runtime-interface-client issue #145; the stream is a request
    // to the local runtime API, which stays open). `close` before our own end() means the runtime
    // destroyed the stream itself (its connection to the runtime API failed); the upstream call is
    // then abandoned. A departed client costs the upstream call up to the endpoint's timeout.
    const controller = new AbortController();
    responseStream.on("close", () => {
      if (!responseStream.writableFinished) controller.abort();
    });
    const request = toGatewayRequest(event, controller.signal);
    const response = await wired.engine.handle(request);
    const head = responseHead(response.headers);
    const out = openWithPrelude(attach, responseStream, { statusCode: response.status, headers: head.headers, cookies: head.cookies });
    const { body } = response;
    if (body === null || body instanceof Uint8Array) {
      if (body !== null && body.byteLength > 0 && request.method !== "HEAD") out.write(body);
      out.end();
      return;
    }
    const iterator = body[Symbol.asyncIterator]();
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) break;
        if (request.method === "HEAD" || controller.signal.aborted) continue; // read on so the audit completes
        if (!out.write(step.value)) await drainOrClose(out);
      }
    } catch (error) {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
      return;
    } finally {
      await iterator.return?.();
    }
    out.end();
  };
}
