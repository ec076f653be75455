import type { Socket } from "node:net";
import type { ConnectCallback, Connector } from "./ssrf/dialer.ts";

const CONTINUE_1_1 = Buffer.from("HTTP/1.1 100 ", "latin1");
const CONTINUE_1_0 = Buffer.from("HTTP/1.0 100 ", "latin1");
const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

/**
 * Wraps an undici connector so that an unsolicited `100 Continue` before a response is dropped
 * before undici's HTTP/1.1 parser sees it. undici never sends `Expect: 100-continue` on HTTP/1.1
 * and destroys the socket on any 100 ("bad response", client-h1.js `onHeadersComplete`), which
 * turned a server that always sends one (RFC 9110 §15.2.1 lets a server send it anyway) into a 502.
 *
 * How: undici reads the socket with `socket.read()`; the first read after a request is written
 * is the start of its response (undici does not pipeline by default), so a chunk there that
 * begins with a whole `HTTP/1.x 100 ...\r\n\r\n` head loses that head. A 100 split across reads
 * is left alone (still a 502). Other 1xx (102, 103) undici already skips.
 */
export function skipUnsolicitedContinue(connect: Connector): Connector {
  return (options, callback) =>
    connect(options, ((error: Error | null, socket: Socket | null) => {
      if (socket) watch(socket);
      (callback as (error: Error | null, socket: Socket | null) => void)(error, socket);
    }) as ConnectCallback);
}

function watch(socket: Socket): void {
  let atResponseStart = true;
  const write = socket.write;
  const read = socket.read;
  socket.write = function (this: Socket, ...args: unknown[]) {
    atResponseStart = true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as Socket["write"];
  socket.read = function (this: Socket, size?: number) {
    const chunk = read.call(this, size) as Buffer | null;
    if (chunk === null || !atResponseStart) return chunk;
    atResponseStart = false;
    return dropContinueHeads(chunk);
  };
}

/** `chunk` without the whole `100 Continue` heads it starts with. */
export function dropContinueHeads(chunk: Buffer): Buffer {
  let rest = chunk;
  while (rest.length >= CONTINUE_1_1.length && (startsWith(rest, CONTINUE_1_1) || startsWith(rest, CONTINUE_1_0))) {
    const end = rest.indexOf(HEAD_END);
    if (end < 0) break;
    rest = rest.subarray(end + HEAD_END.length);
  }
  return rest;
}

function startsWith(chunk: Buffer, prefix: Buffer): boolean {
  return chunk.subarray(0, prefix.length).equals(prefix);
}
