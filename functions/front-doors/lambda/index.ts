/**
 * The Lambda bundle's entry (esbuild bundles this file into `index.mjs`):
 * - `handler`: API Gateway HTTP API, payload format 2.0, buffered;
 * - `streamHandler`: Lambda Function URL with RESPONSE_STREAM, for endpoints above 29 s.
 * Both wire the gateway once per cold start; wiring starts at import, during Lambda's init phase.
 */
import type { Writable } from "node:stream";
import { createHandler, once } from "./create-handler.ts";
import { createStreamHandler, type StreamingHandler, type StreamPrelude } from "./create-stream-handler.ts";
import { wireAwsFromEnvironment } from "./wire-aws.ts";

/** The Lambda Node runtime's global for response streaming (absent elsewhere). */
interface AwsLambdaGlobal {
  streamifyResponse(handler: StreamingHandler): unknown;
  HttpResponseStream: { from(stream: Writable, prelude: StreamPrelude): Writable };
}

// Checked by its methods: an AWS SDK dependency (@aws/lambda-invoke-store) sets
// `globalThis.awslambda = {}` outside Lambda, so the object alone proves nothing.
const candidate = (globalThis as { awslambda?: Partial<AwsLambdaGlobal> }).awslambda;
const runtime = typeof candidate?.streamifyResponse === "function" && candidate.HttpResponseStream ? (candidate as AwsLambdaGlobal) : undefined;
const wire = once(() => wireAwsFromEnvironment());
wire().catch(() => {
  // reported by the first invocation
});

/** API Gateway HTTP API (payload 2.0) handler. */
export const handler = createHandler(wire);

const streaming = createStreamHandler(wire, (stream, prelude) => {
  if (!runtime) throw new Error("response streaming needs the Lambda runtime's awslambda global");
  return runtime.HttpResponseStream.from(stream, prelude);
});

/** Function URL (RESPONSE_STREAM) handler; wrapped at load, as the runtime requires. */
export const streamHandler: unknown = runtime ? runtime.streamifyResponse(streaming) : streaming;
