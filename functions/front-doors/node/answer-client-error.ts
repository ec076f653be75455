import type { ServerResponse } from "node:http";
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
const MALFORMED = { status: 400, reason: "Bad Request", title: "Bad request", code: "MALFORMED_REQUEST", detail: "The request could not be parsed (framing or syntax)." };

/**
 * The server's `clientError` handler: answers a request Node could not parse or did not
 * receive in time with problem+json and closes the connection. When a response to an earlier
 * request on the same connection is still being written (`inFlight`), nothing is written: a
 * status line there would read as the answer to that earlier request. After a parse error the
 * connection is closed once that response has gone out; after a reset or a timeout, at once.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket, inFlight: WeakMap<Socket, ServerResponse>): void {
  const pending = inFlight.get(socket);
  // A later request on the connection that does not parse: let the earlier response go out.
  // (HPE_INVALID_EOF_STATE is not one: the client closed its side in mid-request, it is gone.)
  if (pending && socket.writable && error.code?.startsWith("HPE_") && error.code !== "HPE_INVALID_EOF_STATE") {
    pending.once("close", () => socket.destroy());
    return;
  }
  // The client is gone (reset) or too slow while its response is pending: nothing to answer.
  if (pending || !socket.writable) return void socket.destroy();
  const answer = ANSWERS[error.code ?? ""] ?? MALFORMED;
  const problem = problemJson({ status: answer.status, code: answer.code, title: answer.title, detail: answer.detail, requestId: newRequestId() });
  const head = Object.entries({ ...problem.headers, "content-length": String(Buffer.byteLength(problem.text)), connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(`HTTP/1.1 ${answer.status} ${answer.reason}\r\n${head}\r\n${problem.text}`);
}
