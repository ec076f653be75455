import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { problemJson } from "../../engine/problem-json.ts";
import { newRequestId } from "../../engine/request-id.ts";

/** Node's parser and timeout errors the gateway answers with a status of its own (else 400). */
const ANSWERS: Record<string, { status: number; reason: string; title: string; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    title: "Request header fields too large",
    code: "HEADERS_TOO_LARGE",
    detail: "The request head is larger than the gateway accepts.",
  },
  // headersTimeout or requestTimeout passed (a slowloris head, a body that never arrives).
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    title: "Request timeout",
    code: "REQUEST_TIMEOUT",
    detail: "The request was not received in time.",
  },
};
const MALFORMED = {
  status: 400,
  reason: "Bad Request",
  title: "Bad request",
  code: "MALFORMED_REQUEST",
  detail: "The request could not be parsed (framing or syntax).",
};

/** The request a connection is busy with, and its response. */
export interface InFlight {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * The server's `clientError` handler: answers a request Node could not parse or did not
 * receive in time with problem+json and closes the connection. When a response to an earlier
 * request on the same connection is still being written (`inFlight`), nothing is written: a
 * status line there would read as the answer to that earlier request: the connection is closed
 * once that response has gone out, or at once when the failing request is that one itself.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket, inFlight: WeakMap<Socket, InFlight>): void {
  const pending = inFlight.get(socket);
  // The earlier request arrived whole, so the error is about a later one on the connection:
  // let the earlier response go out first. (If it had not arrived whole, the error is about
  // that request itself: the client broke or left mid-request, and there is nothing to answer.)
  if (pending?.req.complete && socket.writable && error.code !== "ERR_HTTP_REQUEST_TIMEOUT") {
    pending.res.once("close", () => socket.destroy());
    return;
  }
  if (pending || !socket.writable) return void socket.destroy();
  const answer = ANSWERS[error.code ?? ""] ?? MALFORMED;
  const problem = problemJson({ status: answer.status, code: answer.code, title: answer.title, detail: answer.detail, requestId: newRequestId() });
  const head = Object.entries({ ...problem.headers, "content-length": String(Buffer.byteLength(problem.text)), connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${answer.status} ${answer.reason}\r\n${head}\r\n${problem.text}`);
}
