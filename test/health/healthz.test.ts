import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Method } from "gatehouse-gateway";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { TokenStore } from "../../functions/ports/token-store.ts";
import { startTestDynalite } from "../helpers/dynalite.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";

// Issue 19 item 1: GET /healthz on the gateway's own port, no token; 200 while the store answers,
// 503 problem+json when it does not; never an audit record.

const definition = { name: "health", endpoints: { a: { upstream: "https://api.example.com", methods: ["GET"] satisfies Method[] } } };

/** A harness whose token store is `tokens` (a real adapter, or one that fails as a dead store does). */
const withTokens = (tokens: TokenStore) => startHarness(definition, { ports: { tokens } as never });

async function expectUnavailable(h: Harness) {
  const res = await send(`${h.base}/healthz`);
  expect(res.status).toBe(503);
  expect(res.headers["content-type"]).toBe("application/problem+json");
  expect(res.headers["cache-control"]).toBe("no-store");
  const problem = res.json();
  expect(problem).toMatchObject({ status: 503, code: "STORE_UNAVAILABLE", type: "https://gatehouse.dev/problems/store-unavailable" });
  expect(problem.requestId).toBe(res.headers["x-request-id"]);
  expect(h.logs.filter((l) => l.event === "health.store_unavailable")).toHaveLength(1);
  expect(h.ports.audit.records).toHaveLength(0);
}

describe("GET /healthz with a store that answers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(definition);
  });
  afterAll(() => h?.close());

  it('is 200 {"status":"ok"} as JSON, not cached, without a token', async () => {
    const res = await send(`${h.base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"ok"}');
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-length"]).toBe("15");
    expect(res.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("answers HEAD without a body, other methods 405 with Allow, a query string changes nothing", async () => {
    const head = await send(`${h.base}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    const post = await send(`${h.base}/healthz`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect(post.json().code).toBe("METHOD_NOT_ALLOWED");
    expect((await send(`${h.base}/healthz?verbose=1`)).status).toBe(200);
  });

  it("is only that path: /healthz/ and /api/healthz are the usual 404", async () => {
    expect((await send(`${h.base}/healthz/`)).status).toBe(404);
    expect((await send(`${h.base}/api/healthz`)).status).toBe(404);
  });

  it("writes no audit record (only the two 404s above are audited)", async () => {
    await send(`${h.base}/healthz`);
    const records = await h.audit(2);
    expect(records.map((r) => r.path)).toEqual(["/healthz/", "/api/healthz"]);
  });
});

describe("GET /healthz with a store that does not answer", () => {
  it("is 503 STORE_UNAVAILABLE when the real SQLite store's database is closed under it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gatehouse-health-"));
    const store = openSqliteStore(dir);
    const h = await withTokens(store.tokens);
    expect((await send(`${h.base}/healthz`)).status).toBe(200);
    store.close();
    await expectUnavailable(h);
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is 503 when DynamoDB (dynalite) stops answering", async () => {
    const db = await startTestDynalite({ prefix: "health" });
    const h = await withTokens(new DynamoTokenStore({ client: db.client, tableName: db.tables.tokens }));
    expect((await send(`${h.base}/healthz`)).status).toBe(200);
    await db.stop();
    await expectUnavailable(h);
    await h.close();
  }, 20_000);

  it("is 503 when the store hangs past the 3 s probe timeout (a store port that never settles)", async () => {
    const hanging = { findByHash: () => new Promise<never>(() => {}) } as unknown as TokenStore;
    const h = await withTokens(hanging);
    await expectUnavailable(h);
    await h.close();
  }, 10_000);
});
