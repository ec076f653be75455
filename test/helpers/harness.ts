import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defineGateway, type GatewayInput } from "gatehouse-gateway";
import type { Gateway } from "../../schema/gateway.ts";
import { createEngine, type Engine, type EngineOptions } from "../../functions/engine/create-engine.ts";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryRateLimiter } from "../../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { StaticSecretSource } from "../../functions/adapters/memory/static-secret-source.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { createNodeServer, type FinishedRequest, type NodeFrontDoor, type NodeServerOptions } from "../../functions/front-doors/node/node-server.ts";
import type { EnginePorts } from "../../functions/ports/index.ts";
import type { Clock } from "../../functions/ports/clock.ts";
import type { Log } from "../../functions/ports/log.ts";
import { issueToken, type TokenRequest } from "../../functions/tokens/issue-token.ts";

/** A gateway served on 127.0.0.1 with memory ports, for tests. */
export interface Harness {
  gateway: Gateway;
  engine: Engine;
  ports: EnginePorts & { tokens: MemoryTokenStore; audit: MemoryAuditSink; rateLimiter: MemoryRateLimiter };
  base: string;
  /** The node front door's server. */
  server: Server;
  logs: Array<{ level: string; event: string; fields?: Record<string, unknown> }>;
  /** `<base>/api/<id>/proxy/<slug>` */
  url(slug: string, tail?: string): string;
  token(request?: Partial<TokenRequest>): Promise<{ token: string; id: string }>;
  /** Audit writes happen as the response body ends; this waits until `count` records exist. */
  audit(count: number): Promise<MemoryAuditSink["records"]>;
  /**
   * Resolves once the front door is done with the request of this id (answer written or cut,
   * audit written, response closed): after it, nothing more happens for that request.
   */
  finished(requestId: string): Promise<FinishedRequest>;
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  secrets?: Record<string, string>;
  clock?: Clock & Partial<TestClock>;
  ports?: Partial<EnginePorts>;
  engine?: Partial<Omit<EngineOptions, "gateways" | "ports">>;
  /** Options of the node front door (timeouts, connection cap). */
  frontDoor?: NodeServerOptions;
}

/** Serves `definition` through the real engine, node front door and undici client. */
export async function startHarness(definition: GatewayInput, options: HarnessOptions = {}): Promise<Harness> {
  const gateway = defineGateway(definition);
  const logs: Harness["logs"] = [];
  const log: Log = {
    info: (event, fields) => logs.push({ level: "info", event, ...(fields ? { fields } : {}) }),
    warn: (event, fields) => logs.push({ level: "warn", event, ...(fields ? { fields } : {}) }),
    error: (event, fields) => logs.push({ level: "error", event, ...(fields ? { fields } : {}) }),
  };
  const upstream = new UndiciUpstreamClient();
  const ports = {
    tokens: new MemoryTokenStore(),
    rateLimiter: new MemoryRateLimiter(),
    audit: new MemoryAuditSink(),
    secrets: new StaticSecretSource(options.secrets ?? {}),
    upstream,
    clock: options.clock ?? new TestClock(Date.now()),
    log,
    ...options.ports,
  } as Harness["ports"];
  const engine = createEngine({ gateways: [gateway], ports, ...options.engine });
  const finished = new Map<string, FinishedRequest>();
  const waiting = new Map<string, (request: FinishedRequest) => void>();
  const onRequestFinished = (request: FinishedRequest) => {
    finished.set(request.requestId, request);
    options.frontDoor?.onRequestFinished?.(request);
    waiting.get(request.requestId)?.(request);
  };
  const door: NodeFrontDoor = createNodeServer(engine, { ...options.frontDoor, onRequestFinished });
  await new Promise<void>((resolve) => door.server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;
  return {
    gateway,
    engine,
    ports,
    base,
    server: door.server,
    logs,
    url: (slug, tail = "") => `${base}/api/${gateway.id}/proxy/${slug}${tail}`,
    async token(request = {}) {
      const { token, record } = await issueToken(ports.tokens, { gatewayId: gateway.id, label: "test-app", now: ports.clock.now(), ...request });
      return { token, id: record.id };
    },
    async audit(count) {
      for (let i = 0; i < 200 && ports.audit.records.length < count; i++) await new Promise((r) => setTimeout(r, 10));
      return ports.audit.records;
    },
    finished(requestId) {
      const done = finished.get(requestId);
      return done ? Promise.resolve(done) : new Promise((resolve) => waiting.set(requestId, resolve));
    },
    async close() {
      door.server.closeAllConnections();
      await new Promise<void>((resolve) => door.server.close(() => resolve()));
      await upstream.close();
    },
  };
}
