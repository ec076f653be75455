import { DynamoConnectionStore } from "../../functions/adapters/aws/dynamo-connection-store.ts";
import { MemoryConnectionStore } from "../../functions/adapters/memory/memory-connection-store.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { startTestDynalite } from "../helpers/dynalite.ts";
import { connectionStoreContract } from "./connection-store.contract.ts";

connectionStoreContract("memory", async () => ({ store: new MemoryConnectionStore(), close: async () => {} }));

connectionStoreContract("DynamoDB on dynalite", async () => {
  const db = await startTestDynalite();
  return { store: new DynamoConnectionStore({ client: db.client, tableName: db.tables.connections }), close: () => db.stop() };
});

connectionStoreContract("SQLite", async () => {
  const folder = await mkdtemp(join(tmpdir(), "gatehouse-sqlite-connections-"));
  const opened = openSqliteStore(join(folder, "data"));
  return { store: opened.connections, close: async () => (opened.close(), rm(folder, { recursive: true, force: true })) };
});
