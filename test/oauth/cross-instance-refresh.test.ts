import { randomBytes } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoConnectionStore } from "../../functions/adapters/aws/dynamo-connection-store.ts";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { createOAuth, type OAuth } from "../../functions/oauth/wire-oauth.ts";
import { jsonLog } from "../../functions/ports/log.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { connectHeadless, startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("two gateway instances sharing one DynamoDB ConnectionStore (dynalite)", () => {
  let db: TestDynalite;
  let a: OidcGateway;
  let b: OAuth;
  beforeAll(async () => {
    db = await startTestDynalite();
    const store = new DynamoConnectionStore({ client: db.client, tableName: db.tables.connections });
    // Same key: in AWS both Lambda instances use the gateway's KMS key.
    const box = new LocalSecretBox(randomBytes(32));
    a = await startOidcGateway({ accessTokenTtl: 2, store, box, refresh: { skewMs: 300, pollMs: 20 } });
    b = createOAuth({
      store,
      box,
      secrets: a.secrets,
      audit: new MemoryAuditSink(),
      log: jsonLog(() => {}),
      network: { unsafeAllowPrivate: ["127.0.0.1/32"] },
      refresh: { skewMs: 300, pollMs: 20 },
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.stop();
  });

  it("refresh concurrently: one refresh reaches the provider (lease), both get the new token", async () => {
    expect((await connectHeadless((await a.oauth.createConnectSession(a.gateway, "idp", a.base)).url)).status).toBe(200);
    const before = await a.oauth.connections.accessToken(a.gateway, "idp");
    expect(before.ok).toBe(true);
    await sleep(2050);
    a.oidc.setRefreshDelay(300); // the first refresh is still running when the second instance looks
    const [fromA, fromB] = await Promise.all([a.oauth.connections.accessToken(a.gateway, "idp"), b.connections.accessToken(a.gateway, "idp")]);
    expect(a.oidc.grants.refresh_token).toBe(1);
    expect(a.oidc.grants.errors).toEqual([]);
    expect(fromA.ok && fromB.ok).toBe(true);
    expect(fromA).toEqual(fromB);
    expect(fromA).not.toEqual(before);
    expect(await db.client.send(new GetCommand({ TableName: db.tables.connections, Key: { pk: `${a.gateway.id}#idp#lease` } }))).not.toHaveProperty("Item");
    // And the new token works at the authorization server.
    const me = await fetch(`${a.oidc.issuer}/me`, { headers: { authorization: `Bearer ${(fromB as { token: string }).token}` } });
    expect(me.status).toBe(200);
  });
});
