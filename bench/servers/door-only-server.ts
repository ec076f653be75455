// Child process: gatehouse's Node front door and upstream client with no policy between them: an
// engine that forwards every request to the upstream's /v1/items/42 (the bench's item) with two
// client headers and returns the upstream's answer through the audited body, so the door pushes
// it into the socket as it does gatehouse's. Measured against the bare proxy it shows what the
// door and the client cost; against gatehouse, what the policy costs (bench/floors.ts).
// Given a data folder, it also does exactly what the SQLite store does for one request and nothing
// else of gatehouse (the SQLite floor): the rate-limit check and count committed before the
// request is forwarded, and the audit record committed before the response's last bytes go out,
// with the real SqliteRateLimiter and SqliteAuditSink on a store opened as `gatehouse serve`
// opens it, the bench gateway's buckets, and the door's options as `gatehouse serve` sets them
// for that store. What that reaches is the most gatehouse's door can reach with those two
// promises kept. Usage: door-only-server.ts <upstream-origin> [dataDir]. Prints {"port": n}.
import { createNodeServer } from "../../functions/front-doors/node/node-server.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { auditedBody, type BodyResult } from "../../functions/engine/audited-body.ts";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import type { Engine } from "../../functions/engine/create-engine.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import type { GatewayResponse } from "../../functions/ports/http-types.ts";
import type { UpstreamResponse } from "../../functions/ports/upstream-client.ts";
import { BENCH_SLUG, benchGateway, benchPath } from "./bench-gateway.ts";
import { listenAndSayPort } from "./pass-through.ts";

const [origin, dataDir] = process.argv.slice(2);
if (!origin) throw new Error("usage: door-only-server.ts <upstream origin> [dataDir]");
const client = new UndiciUpstreamClient();
const ALLOW_LOOPBACK = ["127.0.0.1/32"];
const store = dataDir ? openSqliteStore(dataDir, { backgroundCheckpoints: true }) : null;
const gateway = benchGateway(origin);
const buckets = rateLimitBuckets(gateway, gateway.endpoints[BENCH_SLUG]!, "tok_benchfloor0");
let sequence = 0;

/** A record of the engine's shape and about its size, so the insert and the JSON cost what gatehouse's do. */
function record(requestId: string, started: number, status: number, bytesOut: number): AuditRecord {
  return {
    requestId,
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

const noAudit = (): Promise<void> => Promise.resolve();

const engine: Engine = {
  async handle(request): Promise<GatewayResponse> {
    const started = Date.now();
    if (store) {
      // A refused or failed count answers 503, as gatehouse would when its store fails.
      const allowed = await store.rateLimiter.consume({ now: started, buckets }).then(
        (result) => result.allowed,
        () => false,
      );
      if (!allowed) return { status: 503, headers: {}, body: null };
    }
    const { accept, "user-agent": userAgent } = request.headers;
    let upstream: UpstreamResponse;
    try {
      upstream = await client.send({
        origin,
        path: "/v1/items/42",
        method: request.method,
        headers: { accept: String(accept ?? "*/*"), "user-agent": String(userAgent ?? "") },
        body: null,
        timeoutMs: 10_000,
        ...(request.signal ? { signal: request.signal } : {}),
        allowPrivate: ALLOW_LOOPBACK,
      });
    } catch {
      return { status: 502, headers: {}, body: null };
    }
    const headers: Record<string, string | string[]> = {};
    for (const name in upstream.headers) {
      const value = upstream.headers[name];
      if (value !== undefined && name !== "connection" && name !== "keep-alive") headers[name] = value;
    }
    const requestId = `req_${(++sequence).toString(16).padStart(32, "0")}`;
    const audit = store ? (result: BodyResult) => store.audit.write(record(requestId, started, upstream.status, result.bytes)) : noAudit;
    return { status: upstream.status, headers, body: auditedBody(upstream.body, null, audit) };
  },
};

const door = createNodeServer(engine, { gatherEnds: store?.audit.resolvesPerTurn !== true });
listenAndSayPort(door.server);
process.once("SIGTERM", () => void door.drain().then(() => (store?.close(), process.exit(0))));
