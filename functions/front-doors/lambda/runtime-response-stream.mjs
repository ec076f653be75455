// A stand-in of the Lambda Node runtime's response stream and of `awslambda.HttpResponseStream`,
// plus how a Function URL reads what the function streamed. Our own code, written to behave like
// the public runtime source of aws/aws-lambda-nodejs-runtime-interface-client (read at da5777a):
//
// - src/ResponseStream.js: the handler's stream is an HTTP request to the runtime API, narrowed to
//   a few Writable and EventEmitter members plus `setContentType` (`writableStreamOnly`). Its
//   `write()` calls `_onBeforeFirstWrite` before the first chunk only; its `end(chunk)` hands the
//   chunk straight to the request's own `end`, which never passes through that `write()`.
//   Non-binary, non-string chunks are JSON-stringified. `setContentType` after a write throws.
// - src/HttpResponseStream.js: `from(stream, prelude)` sets the content type
//   `application/vnd.awslambda.http-integration-response` and installs `_onBeforeFirstWrite`,
//   which writes `JSON.stringify(prelude)` and then 8 NUL bytes. So the prelude exists only if
//   `write()` is called before `end()` (issue #97 of that repository, "HttpResponseStream doesn't
//   work when `end`ing the stream without a `write`": `end(body)` answers a bare 502, `end()` a
//   bare 200; middy #1189 and sst #3220 report the same).
// - src/Runtime.js (handleOnceStreaming): after the handler's promise settles the invocation
//   fails with "Response stream is not finished" unless the stream has ended.
// - Issue #145 of that repository: no event reaches the stream when the Function URL client goes
//   away (`close` fires only after the handler's own `end()`); the stand-in emits none either.
import { Writable } from "node:stream";
import { once } from "node:events";

const PRELUDE_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
const DELIMITER = Buffer.alloc(8);

/** `awslambda.HttpResponseStream.from`, as the runtime defines it (prelude on first write only). */
export function attachPrelude(stream, prelude) {
  stream.setContentType(PRELUDE_CONTENT_TYPE);
  const json = JSON.stringify(prelude);
  stream._onBeforeFirstWrite = (write) => {
    write(json);
    write(new Uint8Array(DELIMITER.length));
  };
  return stream;
}

const METHODS = [
  "cork",
  "destroy",
  "end",
  "uncork",
  "write",
  "addListener",
  "emit",
  "eventNames",
  "getMaxListeners",
  "listenerCount",
  "listeners",
  "off",
  "on",
  "once",
  "prependListener",
  "prependOnceListener",
  "rawListeners",
  "removeAllListeners",
  "removeListener",
  "setMaxListeners",
  "setContentType",
];
const READ_WRITE = ["destroyed", "writable", "_onBeforeFirstWrite"];
const READ_ONLY = [
  "writableFinished",
  "writableObjectMode",
  "writableBuffer",
  "writableEnded",
  "writableNeedDrain",
  "writableHighWaterMark",
  "writableCorked",
  "writableLength",
];

/**
 * One invocation's response stream: `handle` is what the handler receives; `settle()` (after the
 * handler returned) gives what the Function URL client would see.
 */
export function createResponseStream() {
  const chunks = [];
  let contentType = "application/octet-stream";
  let written = false;
  const inner = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  const rawWrite = inner.write.bind(inner);
  const rawEnd = inner.end.bind(inner);
  inner.setContentType = (type) => {
    if (written) throw new Error("Cannot set content-type, too late.");
    contentType = type;
  };
  inner.write = (chunk, encoding, callback) => {
    const data = typeof chunk === "string" || Buffer.isBuffer(chunk) || chunk?.constructor === Uint8Array ? chunk : JSON.stringify(chunk);
    if (!written && typeof inner._onBeforeFirstWrite === "function") inner._onBeforeFirstWrite((c) => rawWrite(c));
    written = true;
    return rawWrite(data, encoding, callback);
  };
  // Like the runtime: only the first argument reaches the underlying end, bypassing write().
  inner.end = (first) => {
    rawEnd(first);
    return inner;
  };
  const handle = Object.fromEntries(METHODS.map((name) => [name, inner[name].bind(inner)]));
  for (const name of READ_WRITE) Object.defineProperty(handle, name, { get: () => inner[name], set: (v) => (inner[name] = v) });
  for (const name of READ_ONLY) Object.defineProperty(handle, name, { get: () => inner[name] });

  async function settle() {
    if (!inner.writableEnded) return { error: "Response stream is not finished.", ...functionUrlView(contentType, Buffer.concat(chunks)) };
    if (!inner.writableFinished && !inner.destroyed) await once(inner, "finish");
    return functionUrlView(contentType, Buffer.concat(chunks));
  }
  return { handle, settle };
}

/**
 * What the Function URL answers for the bytes the function streamed: with the prelude content
 * type, the JSON before the first 8 NULs is the status, headers and cookies and the rest the body;
 * without a prelude, a non-empty body is a bare 502 and an empty one a bare 200
 * `application/octet-stream` (issue #97 above). `raw` is every byte the runtime sent.
 */
export function functionUrlView(contentType, bytes) {
  const raw = bytes.toString("base64");
  if (contentType !== PRELUDE_CONTENT_TYPE) {
    return { contentType, raw, prelude: { statusCode: 200, headers: { "content-type": contentType }, cookies: [] }, body: raw };
  }
  const at = bytes.indexOf(DELIMITER);
  let prelude = null;
  if (at >= 0) {
    try {
      prelude = JSON.parse(bytes.subarray(0, at).toString("utf8"));
    } catch {
      prelude = null;
    }
  }
  if (prelude === null || typeof prelude !== "object") {
    const statusCode = bytes.byteLength === 0 ? 200 : 502;
    return { contentType, raw, prelude: { statusCode, headers: { "content-type": "application/octet-stream" }, cookies: [] }, body: "", preludeMissing: true };
  }
  const body = bytes.subarray(at + DELIMITER.length).toString("base64");
  return { contentType, raw, prelude: { statusCode: prelude.statusCode ?? 200, headers: prelude.headers ?? {}, cookies: prelude.cookies ?? [] }, body };
}
