import { expect, it } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../../functions/adapters/aws/dynamo-client.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { storeEngine, useDynaliteAndUpstream } from "./engine-on-dynamo.ts";

const env = useDynaliteAndUpstream();

it("makes one rate-limit write and one audit write, and nothing else, for a proxied request with a cached token", async () => {
  const tables = await env.db.freshTables();
  // A client of its own whose every DynamoDB call is recorded by a middleware.
  const client = createDocumentClient({ region: "us-east-1", endpoint: env.db.endpoint, credentials: LOCAL_CREDENTIALS });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(`${context.commandName} ${(args.input as { TableName?: string }).TableName}`);
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  const tokens = new DynamoTokenStore({ client, tableName: tables.tokens });
  const gw = storeEngine({
    upstream: env.upstream,
    tokens,
    rateLimiter: new DynamoRateLimiter({ client, tableName: tables.rateLimits }),
    audit: new DynamoAuditSink({ client, tableName: tables.audit }),
    rateLimit: { perMinute: 60, perHour: 1000 },
  });
  const { token } = await issueToken(tokens, { gatewayId: gw.gateway.id, label: "cost", now: gw.clock.now() });

  calls.length = 0;
  expect((await gw.get(token)).status).toBe(200);
  // First request: the token is read once, then cached.
  expect(calls.sort()).toEqual([`GetItemCommand ${tables.tokens}`, `PutItemCommand ${tables.audit}`, `UpdateItemCommand ${tables.rateLimits}`].sort());

  for (let i = 0; i < 3; i++) {
    calls.length = 0;
    gw.clock.advance(1000);
    expect((await gw.get(token)).status).toBe(200);
    expect(calls.sort()).toEqual([`PutItemCommand ${tables.audit}`, `UpdateItemCommand ${tables.rateLimits}`]);
  }
  await gw.close();
  client.destroy();
});
