import { createServer, type Server } from "node:http";

/** The header the quick start's `echo` endpoint injects from a secret. */
const DEMO_HEADER = "x-demo-key";

/**
 * The quick start's upstream: answers every request with a JSON echo of what arrived
 * (method, path, the forwarded header names, whether the injected demo header arrived, body
 * size), so a newcomer sees what the gateway forwarded. The injected header itself is not
 * listed: the point of the demo is that the client never sees the server-side credential.
 * Loopback only.
 */
export async function startDemoEchoUpstream(port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer(async (req, res) => {
    let bytes = 0;
    for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
    const body = JSON.stringify({
      method: req.method,
      path: req.url,
      headers: Object.keys(req.headers)
        .filter((name) => name !== DEMO_HEADER)
        .sort(),
      demoKeyInjected: req.headers[DEMO_HEADER] !== undefined,
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
