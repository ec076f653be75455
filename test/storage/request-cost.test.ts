import { expect, it } from "vitest";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../../functions/adapters/aws/dynamo-client.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { dynamoStoreEngine, useDynaliteAndUpstream } from "./engine-on-dynamo.ts";

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
  const { gw, tokens } = dynamoStoreEngine(env.upstream, client, tables, { perMinute: 60, perHour: 1000 });
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
