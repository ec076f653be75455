// Child process: the loopback upstream every target talks to. Prints {"port": n} when ready.
import { createServer } from "node:http";
import { listenAndSayPort } from "./pass-through.ts";
import { UPSTREAM_BODY } from "./upstream-body.ts";

// Headers are built once: the upstream should cost as little CPU as possible, since it shares
// the machine's two cores with the proxy under test and the load generator.
const HEADERS = { "content-type": "application/json", "content-length": String(UPSTREAM_BODY.byteLength) };

const server = createServer((req, res) => {
  // Request bodies (none in the bench) are drained so keep-alive connections stay usable.
  req.resume();
  res.writeHead(200, HEADERS);
  res.end(UPSTREAM_BODY);
});
// Proxies keep their pooled connections; the upstream must not close them mid-run.
server.keepAliveTimeout = 60_000;
listenAndSayPort(server);
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
