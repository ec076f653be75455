import { expect, it } from "vitest";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../../functions/adapters/aws/dynamo-client.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { isWellFormedToken, mintToken } from "../../functions/tokens/token-format.ts";
import { recordCapacity, type RecordedCall } from "../helpers/capacity-recorder.ts";
import { dynamoStoreEngine, useDynaliteAndUpstream } from "./engine-on-dynamo.ts";

const env = useDynaliteAndUpstream();

/** Each call as "Command table units", units as dynalite reported them ("failed" for a refused condition). */
function described(calls: RecordedCall[], tables: Record<string, string>): string[] {
  const short = Object.fromEntries(Object.entries(tables).map(([key, name]) => [name, key]));
  return calls.map((c) => `${c.command} ${short[c.table] ?? c.table} ${c.failed ? "failed" : c.units}`).sort();
}

it("an admitted request writes 2 units (rate limit 1, audit 1); a 401 writes 1 (and reads 1 for a well-formed unknown token); a 429 writes 2 and reads 1", async () => {
  const tables = await env.db.freshTables();
  const client = createDocumentClient({ region: "us-east-1", endpoint: env.db.endpoint, credentials: LOCAL_CREDENTIALS });
  const calls = recordCapacity(client);
  const { gw, tokens } = dynamoStoreEngine(env.upstream, client, tables, { perMinute: 3, perHour: 1000 });
  const { token } = await issueToken(tokens, { gatewayId: gw.gateway.id, label: "cost", now: gw.clock.now() });
  expect((await gw.get(token)).status).toBe(200); // token read and cached

  calls.length = 0;
  expect((await gw.get(token)).status).toBe(200);
  expect(described(calls, tables)).toEqual(["PutItemCommand audit 1", "UpdateItemCommand rateLimits 1"]);
  // No index on either table: these units are the whole bill (dynalite reports no index units).
  expect(calls.every((c) => Object.keys(c.indexUnits).length === 0)).toBe(true);

  calls.length = 0;
  const malformed = `${token.slice(0, -4)}AAAA`;
  expect(isWellFormedToken(malformed)).toBe(false);
  expect((await gw.get(malformed)).status).toBe(401);
  // A failed checksum is refused before any lookup: one audit write.
  expect(described(calls, tables)).toEqual(["PutItemCommand audit 1"]);

  calls.length = 0;
  const unknown = mintToken();
  expect((await gw.get(unknown)).status).toBe(401);
  // A well-formed unknown token (anyone can mint one) costs a strongly consistent lookup too.
  expect(described(calls, tables)).toEqual(["GetItemCommand tokens 1", "PutItemCommand audit 1"]);

  expect((await gw.get(token)).status).toBe(200);
  calls.length = 0;
  expect((await gw.get(token)).status).toBe(429);
  // The refused conditional update is billed by DynamoDB as 1 write unit although dynalite
  // reports none for it; the counts are then read (1 strongly consistent read unit).
  expect(described(calls, tables)).toEqual(["GetItemCommand rateLimits 1", "PutItemCommand audit 1", "UpdateItemCommand rateLimits failed"]);
  await gw.close();
  client.destroy();
});
