import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Engine } from "../../engine/create-engine.ts";
import { problemJson } from "../../engine/problem-json.ts";
import { newRequestId } from "../../engine/request-id.ts";
import { answerClientError, type InFlight } from "./answer-client-error.ts";
import { continueOnRead } from "./continue-on-read.ts";
import { NodeClientSignal } from "./node-client-signal.ts";
import { TurnEnds } from "./turn-ends.ts";
import type { GatewayRequest, GatewayResponse } from "../../ports/http-types.ts";
import { writeResponse } from "./write-response.ts";

/** Options of {@link createNodeServer}. */
export interface NodeServerOptions {
  /**
   * Called once per finished request with a short access line. If it throws, the line is lost
   * and nothing else: the request is already answered, and the server goes on.
   */
  onAccess?: (line: AccessLine) => void;
  /** Largest request head accepted; larger gets 431. @default 16384 */
  maxHeaderBytes?: number;
  /**
   * Time allowed for a request head to arrive; past it, 408 and the connection closed. Short,
   * since a legitimate head arrives in one packet: a slowloris client holds a connection for
   * this long at most. @default 10000
   */
  headersTimeoutMs?: number;
  /**
   * Time allowed for a whole request (head and body) to arrive; past it, 408. Long enough for
   * an endpoint's largest body on a slow link. @default 120000
   */
  requestTimeoutMs?: number;
  /**
   * Most open client connections; past it, new connections are closed at once (Node's
   * `server.maxConnections`). Each costs a socket and some memory. @default 1024
   */
  maxConnections?: number;
  /**
   * Called once the front door is done with a request that reached the engine: the answer is
   * written or cut, its audit record written, the response closed. Tests await it instead of
   * sleeping to see that nothing more happens for a request; unset, it costs nothing.
   */
  onRequestFinished?: (finished: FinishedRequest) => void;
  /**
   * Whether the ends of proxied responses are gathered per event-loop turn while other requests
   * are in flight (see {@link TurnEnds}). Pass `!auditSink.resolvesPerTurn`: a store whose writes
   * resolve per turn already ends its responses together, and gathering again would hold each
   * end one more turn (SQLite: about 10% fewer requests per second at 32 connections). @default true
   */
  gatherEnds?: boolean;
}

/** A request the front door is done with (see {@link NodeServerOptions.onRequestFinished}). */
export interface FinishedRequest {
  requestId: string;
  status: number;
}

/** Most request header fields; more is 431 (Node's `maxHeadersCount` would drop the rest silently). */
export const MAX_HEADER_FIELDS = 2000;

/** What the access log shows of one request: no query, no headers. (A type, so it passes as log fields as is.) */
export type AccessLine = {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  clientAddress: string;
};

/** A running local front door. */
export interface NodeFrontDoor {
  server: Server;
  /** Stops accepting, lets in-flight requests finish (new ones on open connections get 503), then closes. */
  drain(): Promise<void>;
}

/**
 * The local front door: node:http to the engine and back, bodies streamed both ways with
 * backpressure. Framing errors (conflicting Content-Length / Transfer-Encoding, oversized
 * heads) are answered by Node's parser path below with problem+json and the connection closed.
 */
export function createNodeServer(engine: Engine, options: NodeServerOptions = {}): NodeFrontDoor {
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | null = null;

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 120_000, headersTimeout);
  const responding = new WeakMap<Socket, InFlight>();
  const ends = options.gatherEnds === false ? null : new TurnEnds(() => inFlight > 1);
  const handler = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    if (draining) {
      const problem = problemJson({
        status: 503,
        code: "SHUTTING_DOWN",
        title: "Shutting down",
        detail: "The gateway is stopping; retry shortly.",
        requestId: newRequestId(),
      });
      res.writeHead(503, { ...problem.headers, connection: "close", "retry-after": "1" });
      res.end(problem.text);
      return;
    }
    if (req.rawHeaders.length > MAX_HEADER_FIELDS * 2) return tooManyHeaders(res);
    responding.set(req.socket, { req, res });
    inFlight++;
    const served = serve(engine, req, res, options, expectsContinue, responding, ends);
    // Rather than finally(done): one derived promise instead of three, no closure per request.
    served.then(done, failed);
    if (options.onRequestFinished) reportFinished(served, res, options.onRequestFinished);
  };
  const done = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };
  // As finally(done) did: the count goes down, the error stays unhandled (it is a bug to see).
  const failed = (error: unknown) => {
    done();
    throw error;
  };
  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderBytes ?? 16_384,
      headersTimeout,
      requestTimeout,
      // How often Node looks for timed-out requests (its default, 30 s, would let a slow head live 40 s).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 4))),
    },
    (req, res) => handler(req, res, false),
  );
  // One more than the cap, so a request over it is seen (rawHeaders is cut at the count) and refused.
  server.maxHeadersCount = MAX_HEADER_FIELDS + 1;
  server.maxConnections = options.maxConnections ?? 1024;
  // Without this listener Node answers `Expect: 100-continue` itself, before any check.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => handler(req, res, true));
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, responding));

  return {
    server,
    async drain() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      server.closeIdleConnections();
      await closed;
    },
  };
}

async function serve(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeServerOptions,
  expectsContinue: boolean,
  responding: WeakMap<Socket, InFlight>,
  ends: TurnEnds | null,
): Promise<GatewayResponse> {
  const started = Date.now();
  const controller = new NodeClientSignal();
  const socket = req.socket;
  // One listener per request. A response emits 'close' when it is done, finished or cut. Only our
  // own entry is dropped: with pipelining the next request on this socket may already have replaced it.
  // `on`, not `once`: a response closes once, and `once` wraps every listener in two more objects.
  res.on("close", () => {
    if (responding.get(socket)?.res === res) responding.delete(socket);
    if (!res.writableFinished) controller.abort();
  });
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const request: GatewayRequest = {
    method: req.method ?? "GET",
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: queryAt < 0 ? "" : url.slice(queryAt + 1),
    headers: req.headers,
    body: hasBody(req) ? (expectsContinue ? continueOnRead(req, res) : req) : null,
    clientAddress: req.socket.remoteAddress ?? "",
    signal: controller,
  };
  const response = await engine.handle(request);
  await writeResponse(response, req, res, controller, ends);
  if (options.onAccess) {
    try {
      options.onAccess({
        method: request.method,
        path: request.path,
        status: response.status,
        durationMs: Date.now() - started,
        requestId: String(response.headers["x-request-id"] ?? ""),
        clientAddress: request.clientAddress,
      });
    } catch {
      // A log line that cannot be written must not fail the request (here: reject the served
      // promise, which nothing handles, and stop the process).
    }
  }
  return response;
}

/** Reports the request once it is served (audit written) and its response closed, whichever is last. */
function reportFinished(served: Promise<GatewayResponse>, res: ServerResponse, report: (finished: FinishedRequest) => void): void {
  const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
  void Promise.all([served, closed]).then(
    ([response]) => report({ requestId: String(response.headers["x-request-id"] ?? ""), status: response.status }),
    () => {},
  );
}

function tooManyHeaders(res: ServerResponse): void {
  const problem = problemJson({
    status: 431,
    code: "HEADERS_TOO_LARGE",
    title: "Request header fields too large",
    detail: `More than ${MAX_HEADER_FIELDS} header fields.`,
    requestId: newRequestId(),
  });
  res.writeHead(431, { ...problem.headers, "content-length": String(Buffer.byteLength(problem.text)), connection: "close" });
  res.end(problem.text);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}
