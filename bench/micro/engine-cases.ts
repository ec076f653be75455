import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryRateLimiter } from "../../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { StaticSecretSource } from "../../functions/adapters/memory/static-secret-source.ts";
import { createEngine, type Engine } from "../../functions/engine/create-engine.ts";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import { nodeTokenHasher } from "../../functions/adapters/node/node-token-hasher.ts";
import { systemClock } from "../../functions/ports/clock.ts";
import type { GatewayResponse } from "../../functions/ports/http-types.ts";
import type { RateLimitBucket } from "../../functions/ports/rate-limiter.ts";
import type { Log } from "../../functions/ports/log.ts";
import type { UpstreamClient, UpstreamResponse } from "../../functions/ports/upstream-client.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { sha256Hex } from "../../functions/tokens/sha256.ts";
import { UPSTREAM_BODY } from "../servers/upstream-body.ts";
import { BENCH_SECRET_NAME, BENCH_SLUG, benchGateway, benchRequest } from "../servers/bench-gateway.ts";
import type { MicroCase } from "./measure.ts";

/** A body of one chunk, iterated the way the front door iterates (next until done, then return). */
function oneChunk(chunk: Uint8Array): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      let sent = false;
      return {
        next: async () => (sent ? { done: true, value: undefined } : ((sent = true), { done: false, value: chunk })),
        return: async () => ({ done: true, value: undefined }),
      };
    },
  };
}

/** An UpstreamClient with no network: every call answers 200 with the bench's 1 KB JSON body. */
export class FixedUpstreamClient implements UpstreamClient {
  async send(): Promise<UpstreamResponse> {
    return { status: 200, headers: { "content-type": "application/json", "content-length": "1024" }, body: oneChunk(UPSTREAM_BODY) };
  }
}

const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** Reads a response body to its end, as the front door does (the engine audits on completion). */
async function drain(response: GatewayResponse): Promise<void> {
  const { body } = response;
  if (body === null || body instanceof Uint8Array) return;
  const iterator = body[Symbol.asyncIterator]();
  while (!(await iterator.next()).done) {
    // the front door would write the chunk here
  }
  await iterator.return?.();
}

/** The engine cases, their baseline, and a hook that keeps the memory audit sink from growing without bound. */
export async function engineCases(): Promise<{ cases: MicroCase[]; trim: () => void; notes: string[] }> {
  const gateway = benchGateway("http://127.0.0.1:9");
  const sinks: MemoryAuditSink[] = [];
  const build = async (tokenCacheSeconds: number): Promise<{ engine: Engine; token: string }> => {
    const tokens = new MemoryTokenStore();
    const audit = new MemoryAuditSink();
    sinks.push(audit);
    const engine = createEngine({
      gateways: [gateway],
      tokenCacheSeconds,
      ports: {
        tokens,
        rateLimiter: new MemoryRateLimiter(),
        audit,
        secrets: new StaticSecretSource({ [BENCH_SECRET_NAME]: "bench-secret-value" }),
        upstream: new FixedUpstreamClient(),
        clock: systemClock,
        log: silentLog,
        hashToken: nodeTokenHasher,
      },
    });
    const { token } = await issueToken(tokens, { gatewayId: gateway.id, label: "bench", now: Date.now() });
    return { engine, token };
  };
  const cached = await build(10);
  const uncached = await build(0);
  const cachedRequest = benchRequest(gateway, cached.token);
  const uncachedRequest = benchRequest(gateway, uncached.token);
  const trivialHeaders = { "content-type": "application/json", "content-length": "1024" };
  const sampleRecord: AuditRecord = {
    requestId: "req_0",
    time: Date.now(),
    event: "proxy.request",
    gatewayId: gateway.id,
    gatewayName: "bench",
    endpoint: BENCH_SLUG,
    tokenId: "tok_x",
    tokenLabel: "bench",
    method: "GET",
    path: "/api/x/proxy/items/items/42",
    status: 200,
    upstreamStatus: 200,
    decision: "OK",
    reason: null,
    durationMs: 0,
    upstreamDurationMs: 0,
    bytesIn: 0,
    bytesOut: 1024,
    clientAddress: "127.0.0.1",
    userAgent: "wrk",
    revision: gateway.revision,
  };
  const limiter = new MemoryRateLimiter();
  const buckets: RateLimitBucket[] = [{ key: "bench/items/tok_x", scope: "token", perMinute: 10_000_000, perHour: 10_000_000 }];
  const cases: MicroCase[] = [
    { name: "baseline: trivial handler, same loop", run: async () => drain({ status: 200, headers: trivialHeaders, body: oneChunk(UPSTREAM_BODY) }) },
    { name: "engine.handle, full policy, token cache on", run: async () => drain(await cached.engine.handle(cachedRequest)) },
    { name: "engine.handle, full policy, token cache off", run: async () => drain(await uncached.engine.handle(uncachedRequest)) },
    { name: "part: hashToken, node:crypto (front doors)", run: () => nodeTokenHasher(cached.token) },
    { name: "part: hashToken, portable sha256Hex", run: () => sha256Hex(cached.token) },
    { name: "part: request id (crypto.randomUUID + replace)", run: () => `req_${crypto.randomUUID().replace(/-/g, "")}` },
    { name: "part: structuredClone(audit record)", run: () => structuredClone(sampleRecord) },
    { name: "part: MemoryRateLimiter.consume (2 windows)", run: () => limiter.consume({ buckets, now: Date.now() }) },
  ];
  return {
    cases,
    // MemoryAuditSink is bounded (10,000 records); emptying it every 4096 ops keeps the heap the same for every case.
    trim: () => {
      for (const sink of sinks) sink.records.length = 0;
    },
    notes: [
      "in-process, memory ports, fake UpstreamClient returning the 1 KB body, no front door and no sockets",
      "µs/op is single-threaded, so op/s is per core; the engine's cost per request is its figure minus the baseline's",
      "MemoryAuditSink.records is emptied every 4096 ops so every case runs with the same small heap",
    ],
  };
}
