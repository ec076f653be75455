import { createServer, type Server } from "node:http";
import { afterAll, beforeAll } from "vitest";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import type { AddressInfo } from "node:net";
import { defineGateway } from "../../schema/define-gateway.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { RateLimit } from "../../schema/rate-limit.ts";
import { createEngine, type Engine } from "../../functions/engine/create-engine.ts";
import { StaticSecretSource } from "../../functions/adapters/memory/static-secret-source.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import type { AuditReader, AuditSink } from "../../functions/ports/audit-sink.ts";
import type { Log } from "../../functions/ports/log.ts";
import type { RateLimiter } from "../../functions/ports/rate-limiter.ts";
import type { TokenStore } from "../../functions/ports/token-store.ts";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";

/** A loopback upstream that counts what reaches it. */
export interface CountingUpstream {
  origin: string;
  hits(): number;
  close(): Promise<void>;
}

/** Starts an upstream on 127.0.0.1 answering 200 `{"ok":true}` to everything. */
export async function startCountingUpstream(): Promise<CountingUpstream> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An engine over given stores, one gateway with one `echo` endpoint on the upstream. */
export interface StoreEngine {
  gateway: Gateway;
  engine: Engine;
  clock: TestClock;
  logs: Array<{ event: string; fields?: Record<string, unknown> }>;
  /** GET /api/<id>/proxy/echo/<tail> with the token; the body is read to its end (so the audit is written). */
  get(token: string, tail?: string): Promise<{ status: number; headers: Record<string, string | string[]>; body: string }>;
  close(): Promise<void>;
}

/** Builds the engine with the real UndiciUpstreamClient (guard `{}`, the endpoint allows 127.0.0.1/32). */
export function storeEngine(options: {
  upstream: CountingUpstream;
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  audit: AuditSink & Partial<AuditReader>;
  rateLimit?: RateLimit;
  tokenCacheSeconds?: number;
  clock?: TestClock;
}): StoreEngine {
  const gateway = defineGateway({
    name: "store-test",
    endpoints: {
      echo: {
        upstream: options.upstream.origin,
        methods: ["GET"],
        unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      },
    },
  });
  const clock = options.clock ?? new TestClock(Date.now());
  const logs: StoreEngine["logs"] = [];
  const log: Log = {
    info: (event, fields) => logs.push({ event, ...(fields ? { fields } : {}) }),
    warn: (event, fields) => logs.push({ event, ...(fields ? { fields } : {}) }),
    error: (event, fields) => logs.push({ event, ...(fields ? { fields } : {}) }),
  };
  const upstream = new UndiciUpstreamClient({ guard: {} });
  const engine = createEngine({
    gateways: [gateway],
    ports: { tokens: options.tokens, rateLimiter: options.rateLimiter, audit: options.audit, secrets: new StaticSecretSource({}), upstream, clock, log },
    ...(options.tokenCacheSeconds !== undefined ? { tokenCacheSeconds: options.tokenCacheSeconds } : {}),
  });
  return {
    gateway,
    engine,
    clock,
    logs,
    async get(token, tail = "/thing") {
      const response = await engine.handle({
        method: "GET",
        path: `/api/${gateway.id}/proxy/echo${tail}`,
        query: "",
        headers: { authorization: `Bearer ${token}`, "user-agent": "vitest" },
        body: null,
        clientAddress: "127.0.0.1",
      });
      const chunks: Buffer[] = [];
      if (response.body instanceof Uint8Array) chunks.push(Buffer.from(response.body));
      else if (response.body) for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
      return { status: response.status, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") };
    },
    close: () => upstream.close(),
  };
}

/**
 * Starts dynalite and a counting upstream before a file's tests and stops both after. The
 * returned object's fields are set once `beforeAll` has run.
 */
export function useDynaliteAndUpstream(): { db: TestDynalite; upstream: CountingUpstream } {
  const shared = {} as { db: TestDynalite; upstream: CountingUpstream };
  beforeAll(async () => {
    shared.db = await startTestDynalite();
    shared.upstream = await startCountingUpstream();
  });
  afterAll(async () => {
    await shared.upstream?.close();
    await shared.db?.stop();
  });
  return shared;
}

/** `storeEngine` over the DynamoDB adapters, all through `client` (a test's own, e.g. one that records its calls). */
export function dynamoStoreEngine(
  upstream: CountingUpstream,
  client: DynamoDBDocumentClient,
  tables: { tokens: string; rateLimits: string; audit: string },
  rateLimit: RateLimit,
): { gw: StoreEngine; tokens: DynamoTokenStore } {
  const tokens = new DynamoTokenStore({ client, tableName: tables.tokens });
  const gw = storeEngine({
    upstream,
    tokens,
    rateLimiter: new DynamoRateLimiter({ client, tableName: tables.rateLimits }),
    audit: new DynamoAuditSink({ client, tableName: tables.audit }),
    rateLimit,
  });
  return { gw, tokens };
}
