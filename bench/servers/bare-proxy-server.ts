// Child process: the floor for any Node gateway, the smallest streaming undici pass-through
// (no policy at all). Usage: bare-proxy-server.ts <upstream-origin>. Prints {"port": n}.
import { createServer } from "node:http";
import { armProfiler } from "./arm-profiler.ts";
import { listenAndSayPort, passHeaders, upstreamPool } from "./pass-through.ts";

const origin = process.argv[2];
if (!origin) throw new Error("usage: bare-proxy-server.ts <upstream origin>");
const pool = upstreamPool(origin);

const server = createServer((req, res) => {
  const hasBody = req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
  pool.request({ path: req.url ?? "/", method: req.method as "GET", headers: passHeaders(req.headers), body: hasBody ? req : null }).then(
    (upstream) => {
      res.writeHead(upstream.statusCode, passHeaders(upstream.headers));
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
listenAndSayPort(server);
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
