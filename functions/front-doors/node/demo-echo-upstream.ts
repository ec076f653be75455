import { createServer, type Server } from "node:http";

/**
 * The quick start's upstream: answers every request with a JSON echo of what arrived
 * (method, path, the header names and the injected demo header's presence, body size), so a
 * newcomer sees exactly what the gateway forwarded. Loopback only.
 */
export async function startDemoEchoUpstream(port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer(async (req, res) => {
    let bytes = 0;
    for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
    const body = JSON.stringify({
      method: req.method,
      path: req.url,
      headers: Object.keys(req.headers).sort(),
      demoKeyInjected: req.headers["x-demo-key"] !== undefined,
      bodyBytes: bytes,
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
