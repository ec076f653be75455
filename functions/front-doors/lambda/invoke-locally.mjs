#!/usr/bin/env node
// Invokes a built Lambda bundle the way the Lambda Node runtime would, in this (fresh) process:
// import `index.mjs`, then call a handler with payload v2 events, one after another. Plain
// JavaScript so any `node` binary runs it with no loader (tests run it under Node 24;
// the cold-start benchmark times it).
//
//   node invoke-locally.mjs <bundle dir> <request.json> <result.json>
//   request.json: { "handler": "handler" | "streamHandler", "events": [ <payload v2 event>, ... ] }
//   result.json:  { "node": "v22…", "importMs": 12.3, "results": [{ "durationMs": 4.5, "result": … }] }
//
// For `streamHandler` a stand-in of the runtime's `awslambda` global and response stream is
// installed first (`runtime-response-stream.mjs`: the prelude exists only if `write()` precedes
// `end()`, as in the real runtime), and each result is what the Function URL client would get:
// `{ prelude, body, raw, contentType }`, bodies in base64, `preludeMissing` when it was lost.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { attachPrelude, createResponseStream } from "./runtime-response-stream.mjs";

const [bundleDir, requestFile, resultFile] = process.argv.slice(2);
if (!bundleDir || !requestFile || !resultFile) {
  process.stderr.write("usage: invoke-locally.mjs <bundle dir> <request.json> <result.json>\n");
  process.exit(2);
}
const request = JSON.parse(await readFile(requestFile, "utf8"));
const streaming = request.handler === "streamHandler";
if (streaming) globalThis.awslambda = { streamifyResponse: (fn) => fn, HttpResponseStream: { from: attachPrelude } };
const started = performance.now();
const bundle = await import(pathToFileURL(join(bundleDir, "index.mjs")).href);
const importMs = performance.now() - started;
const handler = bundle[request.handler ?? "handler"];
if (typeof handler !== "function") throw new Error(`the bundle exports no function ${request.handler}`);

const results = [];
for (const event of request.events) {
  const t = performance.now();
  let result;
  if (streaming) {
    const stream = createResponseStream();
    await handler(event, stream.handle, {});
    result = await stream.settle();
  } else {
    result = await handler(event, {});
  }
  results.push({ durationMs: performance.now() - t, result });
}
await writeFile(resultFile, JSON.stringify({ node: process.version, importMs, results }));
// Pooled upstream sockets and SDK clients would keep the process alive, as they do in Lambda.
process.exit(0);
