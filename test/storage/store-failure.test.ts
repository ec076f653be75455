import { afterAll, beforeAll, expect, it } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { startTestDynalite } from "../helpers/dynalite.ts";
import { startCountingUpstream, storeEngine, type CountingUpstream } from "./engine-on-dynamo.ts";

let upstream: CountingUpstream;
beforeAll(async () => {
  upstream = await startCountingUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

async function running(options: { tokenCacheSeconds: number; rateLimit?: { perMinute: number } }) {
  const db = await startTestDynalite();
  const tokens = new DynamoTokenStore({ client: db.client, tableName: db.tables.tokens });
  const gw = storeEngine({
    upstream,
    tokens,
    rateLimiter: new DynamoRateLimiter({ client: db.client, tableName: db.tables.rateLimits }),
    audit: new DynamoAuditSink({ client: db.client, tableName: db.tables.audit }),
    tokenCacheSeconds: options.tokenCacheSeconds,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const { token } = await issueToken(tokens, { gatewayId: gw.gateway.id, label: "outage", now: gw.clock.now() });
  return { db, gw, token };
}

it.each([
  { why: "the token store fails (no cache)", tokenCacheSeconds: 0, rateLimit: undefined, reason: /token store failed/ },
  { why: "the rate limiter fails (token cached)", tokenCacheSeconds: 10, rateLimit: { perMinute: 1000 }, reason: /rate limiter failed/ },
])("answers 503 STORE_UNAVAILABLE and forwards nothing when dynalite stops mid-run: $why", async ({ tokenCacheSeconds, rateLimit, reason }) => {
  const { db, gw, token } = await running({ tokenCacheSeconds, ...(rateLimit ? { rateLimit } : {}) });
  for (let i = 0; i < 3; i++) expect((await gw.get(token)).status).toBe(200);
  const forwarded = upstream.hits();

  await db.stop();
  for (let i = 0; i < 3; i++) {
    const response = await gw.get(token);
    expect(response.status).toBe(503);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(response.body)).toMatchObject({ status: 503, code: "STORE_UNAVAILABLE" });
  }
  expect(upstream.hits()).toBe(forwarded);
  // The audit store is down too: the refusals went to the structured log, marked, with their reason.
  const fallbacks = gw.logs.filter((l) => l.event === "audit.write_failed");
  expect(fallbacks).toHaveLength(3);
  for (const f of fallbacks) {
    expect(f.fields).toMatchObject({ auditFallback: true, record: { decision: "STORE_UNAVAILABLE", status: 503 } });
    expect((f.fields!.record as { reason: string }).reason).toMatch(reason);
  }
  await gw.close();
});
