// Child process: the floor for any Node gateway, the smallest streaming undici pass-through
// (no policy at all). Usage: bare-proxy-server.ts <upstream-origin>. Prints {"port": n}.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { Pool } from "undici";
import { armProfiler } from "./arm-profiler.ts";

const origin = process.argv[2];
if (!origin) throw new Error("usage: bare-proxy-server.ts <upstream origin>");
// Same keep-alive idle time as gatehouse's UndiciUpstreamClient, and no cap on sockets, like its Agent.
const pool = new Pool(origin, { keepAliveTimeout: 4000 });
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection", "host"]);

function strip(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP.has(name)) out[name] = value;
  return out;
}

const server = createServer((req, res) => {
  const hasBody = req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
  pool.request({ path: req.url ?? "/", method: req.method as "GET", headers: strip(req.headers), body: hasBody ? req : null }).then(
    (upstream) => {
      res.writeHead(upstream.statusCode, strip(upstream.headers));
      // pipe rather than stream.pipeline: on Node 20 pipeline makes an AbortController per call
      // and aborts it when done (a DOMException with a stack each time), about 10% of this
      // proxy's CPU; the floor should not carry that.
      upstream.body.on("error", () => res.destroy());
      upstream.body.pipe(res);
    },
    () => {
      res.writeHead(502);
      res.end();
    },
  );
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`);
});
const stopProfiler = armProfiler((value) => process.stdout.write(`${JSON.stringify(value)}\n`));
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(
    () =>
      void stopProfiler()
        .then(() => pool.close())
        .then(() => process.exit(0)),
  );
});
