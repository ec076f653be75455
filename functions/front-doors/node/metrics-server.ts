import { once } from "node:events";
import { createServer, type Server } from "node:http";

/** What the metrics listener serves: Prometheus text and its content type. */
export interface MetricsSource {
  metrics(): Promise<string>;
  contentType: string;
}

/** A running metrics listener. */
export interface MetricsServer {
  server: Server;
  /** `http://<host>:<port>/metrics` */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on its own listener, never on the gateway's port: a scrape endpoint
 * tells about traffic and the process, so it belongs on an operator's interface (loopback or a
 * private network), not beside the public API. Anything else is 404.
 */
export async function startMetricsServer(source: MetricsSource, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found: metrics are at /metrics\n");
      return;
    }
    source.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": source.contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      () => {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("metrics could not be collected\n");
      },
    );
  });
  server.listen(port, host);
  await once(server, "listening");
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
