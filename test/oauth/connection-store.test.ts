import { DynamoConnectionStore } from "../../functions/adapters/aws/dynamo-connection-store.ts";
import { MemoryConnectionStore } from "../../functions/adapters/memory/memory-connection-store.ts";
import { startTestDynalite } from "../helpers/dynalite.ts";
import { connectionStoreContract } from "../contract/connection-store.contract.ts";

connectionStoreContract("memory", async () => ({ store: new MemoryConnectionStore(), close: async () => {} }));

connectionStoreContract("DynamoDB on dynalite", async () => {
  const db = await startTestDynalite();
  return { store: new DynamoConnectionStore({ client: db.client, tableName: db.tables.connections }), close: () => db.stop() };
});
