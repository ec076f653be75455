import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stub saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  rawHeaders: string[];
  body: Buffer;
  /** The client (the gateway) closed the request before its body ended. */
  aborted: boolean;
}

/** A loopback upstream that records every request; `handle` decides the answer. */
export interface UpstreamStub {
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Connections the server accepted. */
  connections: () => number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

/** The default answer: 200 JSON `{ ok: true }`. */
const okJson: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"ok":true}');
};

/**
 * Starts a recording upstream on 127.0.0.1. The body is read before `handle` runs unless
 * `streaming` is set (then `handle` gets the request unread and the body is recorded as read).
 */
export async function startUpstream(handle: Handler = okJson, options: { streaming?: boolean } = {}): Promise<UpstreamStub> {
  const seen: SeenRequest[] = [];
  let connections = 0;
  const server: Server = createServer(async (req, res) => {
    const record: SeenRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      aborted: false,
    };
    seen.push(record);
    req.on("aborted", () => (record.aborted = true));
    req.on("error", () => (record.aborted = true));
    if (!options.streaming) {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of req) chunks.push(chunk as Buffer);
      } catch {
        record.aborted = true;
      }
      record.body = Buffer.concat(chunks);
      if (record.aborted) return;
    }
    try {
      await handle(req, res, record);
    } catch {
      // A streaming handler reading a body the gateway abandoned.
      record.aborted = true;
      res.destroy();
    }
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
