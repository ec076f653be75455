// Child process: gatehouse's Node front door and upstream client with no policy between them: an
// engine that forwards every request to the upstream's /v1/items/42 (the bench's item) with two
// client headers and returns the upstream's answer through the audited body with a no-op audit, so
// the door pushes it into the socket as it does gatehouse's. Measured against the bare proxy it
// shows what the door and the client cost; against gatehouse, what the policy costs
// (bench/floors.ts). Usage: door-only-server.ts <upstream-origin>. Prints {"port": n}.
import { createNodeServer } from "../../functions/front-doors/node/node-server.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { auditedBody } from "../../functions/engine/audited-body.ts";
import type { Engine } from "../../functions/engine/create-engine.ts";
import type { GatewayResponse } from "../../functions/ports/http-types.ts";
import type { UpstreamResponse } from "../../functions/ports/upstream-client.ts";
import { listenAndSayPort } from "./pass-through.ts";

const origin = process.argv[2];
if (!origin) throw new Error("usage: door-only-server.ts <upstream origin>");
const client = new UndiciUpstreamClient();
const ALLOW_LOOPBACK = ["127.0.0.1/32"];
const noAudit = () => Promise.resolve();

const engine: Engine = {
  async handle(request): Promise<GatewayResponse> {
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
    return { status: upstream.status, headers, body: auditedBody(upstream.body, null, noAudit) };
  },
};

const door = createNodeServer(engine, {});
listenAndSayPort(door.server);
process.once("SIGTERM", () => void door.drain().then(() => process.exit(0)));
