// Child process: the bare proxy (bare-proxy-server.ts) plus exactly what the SQLite store does for
// one request and nothing else of gatehouse: the rate-limit check and count committed before the
// request is forwarded, and the audit record committed before the response ends (the last bytes
// are held until then, as gatehouse's Node door holds them). The real SqliteRateLimiter and
// SqliteAuditSink on a store opened as `gatehouse serve` opens it (background checkpoints), the
// bench gateway's buckets (a per-minute and a per-hour counter). What this reaches is the most a
// gateway on this store can reach with those two promises kept (bench/floors.ts).
// Usage: sqlite-floor-server.ts <upstream-origin> <dataDir>. Prints {"port": n}.
import { createServer, type ServerResponse } from "node:http";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import { BENCH_SLUG, benchGateway, benchPath } from "./bench-gateway.ts";
import { listenAndSayPort, passHeaders, upstreamPool } from "./pass-through.ts";

const [origin, dataDir] = process.argv.slice(2);
if (!origin || !dataDir) throw new Error("usage: sqlite-floor-server.ts <upstream origin> <dataDir>");
const store = openSqliteStore(dataDir, { backgroundCheckpoints: true });
const gateway = benchGateway(origin);
const endpoint = gateway.endpoints[BENCH_SLUG]!;
const buckets = rateLimitBuckets(gateway, endpoint, "tok_benchfloor0");
const pool = upstreamPool(origin);

/** A record of the engine's shape and about its size, so the insert and the JSON cost what gatehouse's do. */
function record(sequence: number, started: number, status: number, bytesOut: number): AuditRecord {
  return {
    requestId: `req_${sequence.toString(16).padStart(32, "0")}`,
    time: started,
    event: "proxy.request",
    gatewayId: gateway.id,
    gatewayName: gateway.name,
    endpoint: BENCH_SLUG,
    tokenId: "tok_benchfloor0",
    tokenLabel: "bench",
    method: "GET",
    path: benchPath(gateway),
    status,
    upstreamStatus: status,
    decision: "OK",
    reason: null,
    durationMs: Date.now() - started,
    upstreamDurationMs: 0,
    bytesIn: 0,
    bytesOut,
    clientAddress: "127.0.0.1",
    userAgent: "wrk",
    revision: gateway.revision,
  };
}

let sequence = 0;
const server = createServer((req, res) => {
  const started = Date.now();
  // A refused count (the store failed) answers 503, an unreachable upstream 502, as gatehouse would.
  store.rateLimiter.consume({ now: started, buckets }).then(
    () =>
      pool.request({ path: req.url ?? "/", method: req.method as "GET", headers: passHeaders(req.headers), body: null }).then(
        (upstream) => {
          res.writeHead(upstream.statusCode, passHeaders(upstream.headers));
          let bytesOut = 0;
          upstream.body.on("data", (chunk: Buffer) => (bytesOut += chunk.length));
          upstream.body.on("error", () => res.destroy());
          upstream.body.on(
            "end",
            () =>
              void store.audit.write(record(++sequence, started, upstream.statusCode, bytesOut)).then(
                () => res.end(),
                () => res.destroy(),
              ),
          );
          upstream.body.pipe(res, { end: false });
        },
        () => answer(res, 502),
      ),
    () => answer(res, 503),
  );
});

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

listenAndSayPort(server);
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => void pool.close().then(() => (store.close(), process.exit(0))));
});
