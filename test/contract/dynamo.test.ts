import { afterAll, beforeAll } from "vitest";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoRateLimiter } from "../../functions/adapters/aws/dynamo-rate-limiter.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { auditSinkContract } from "./audit-sink-contract.ts";
import { rateLimiterContract } from "./rate-limiter-contract.ts";
import { tokenStoreContract } from "./token-store-contract.ts";

let db: TestDynalite;
beforeAll(async () => {
  db = await startTestDynalite();
});
afterAll(async () => {
  await db?.stop();
});

// Every test gets fresh tables, so the adapters see an empty store as the contract assumes.
tokenStoreContract("DynamoDB on dynalite", async () => new DynamoTokenStore({ client: db.client, tableName: (await db.freshTables()).tokens }));
rateLimiterContract("DynamoDB on dynalite", async () => new DynamoRateLimiter({ client: db.client, tableName: (await db.freshTables()).rateLimits }));
auditSinkContract("DynamoDB on dynalite", async () => new DynamoAuditSink({ client: db.client, tableName: (await db.freshTables()).audit }));
