import { describe, expect, it } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { issueToken, rotateToken } from "../../functions/tokens/issue-token.ts";
import { storeEngine, useDynaliteAndUpstream } from "./engine-on-dynamo.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const env = useDynaliteAndUpstream();

async function setup(tokenCacheSeconds: number) {
  const tables = await env.db.freshTables();
  const tokens = new DynamoTokenStore({ client: env.db.client, tableName: tables.tokens });
  const audit = new DynamoAuditSink({ client: env.db.client, tableName: tables.audit });
  const gw = storeEngine({
    upstream: env.upstream,
    tokens,
    rateLimiter: new DynamoRateLimiter({ client: env.db.client, tableName: tables.rateLimits }),
    audit,
    tokenCacheSeconds,
    clock: new TestClock(T0),
  });
  return { tokens, audit, gw };
}

describe("token lifecycle on DynamoDB through the engine", () => {
  it("refuses a revoked token within the cache delay (10 s by default), at once with the cache off", async () => {
    const { tokens, audit, gw } = await setup(10);
    const { token, record } = await issueToken(tokens, { gatewayId: gw.gateway.id, label: "app", now: gw.clock.now() });
    expect((await gw.get(token)).status).toBe(200);
    await tokens.revoke(record.id, gw.clock.now());
    gw.clock.advance(9_999);
    // Still trusted from the cache: the documented delay.
    expect((await gw.get(token)).status).toBe(200);
    gw.clock.advance(1);
    const refused = await gw.get(token);
    expect(refused.status).toBe(401);
    expect(refused.headers["www-authenticate"]).toBe('Bearer realm="gatehouse"');
    const last = (await audit.query({ tokenId: record.id })).at(-1);
    expect(last).toMatchObject({ status: 401, decision: "TOKEN_INVALID", reason: "revoked token" });

    const uncached = await setup(0);
    const second = await issueToken(uncached.tokens, { gatewayId: uncached.gw.gateway.id, label: "app", now: uncached.gw.clock.now() });
    expect((await uncached.gw.get(second.token)).status).toBe(200);
    await uncached.tokens.revoke(second.record.id, uncached.gw.clock.now());
    expect((await uncached.gw.get(second.token)).status).toBe(401);
    await gw.close();
    await uncached.gw.close();
  });

  it("keeps a rotated token's old value working during the overlap and refuses it after", async () => {
    const { tokens, audit, gw } = await setup(10);
    const old = await issueToken(tokens, { gatewayId: gw.gateway.id, label: "rotating", now: gw.clock.now() });
    expect((await gw.get(old.token)).status).toBe(200);
    const rotated = await rotateToken(tokens, old.record.id, { overlapMs: 3_600_000, now: gw.clock.now() });
    expect((await gw.get(rotated!.token)).status).toBe(200);
    gw.clock.advance(3_599_000);
    expect((await gw.get(old.token)).status).toBe(200);
    expect((await gw.get(rotated!.token)).status).toBe(200);
    gw.clock.advance(1000);
    expect((await gw.get(old.token)).status).toBe(401);
    expect((await gw.get(rotated!.token)).status).toBe(200);
    expect((await audit.query({ tokenId: old.record.id })).at(-1)).toMatchObject({ status: 401, reason: "expired token" });
    await gw.close();
  });
});
