import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createTables } from "../../functions/adapters/aws/create-tables.ts";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../../functions/adapters/aws/dynamo-client.ts";
import { tableNames, type TableNames } from "../../functions/contracts/tables.ts";
import { startDynalite } from "./start-dynalite.ts";

/** A dynalite the test started, with its tables. */
export interface TestDynalite {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Table names under the prefix the tables were created with. */
  tables: TableNames;
  /** A document client on it (dummy credentials, region us-east-1). */
  client: DynamoDBDocumentClient;
  /** Creates a fresh set of tables under a new random prefix (isolation between tests). */
  freshTables(): Promise<TableNames>;
  /** Stops the server; the client is destroyed. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1:0, in memory or in `path`, and creates the tables. Nothing here
 * ever talks to AWS: the endpoint is the loopback server and the credentials are dummies.
 */
export async function startTestDynalite(options: { path?: string; prefix?: string; maxAttempts?: number } = {}): Promise<TestDynalite> {
  const server = await startDynalite(options.path ? { path: options.path } : {});
  const client = createDocumentClient({
    region: "us-east-1",
    endpoint: server.endpoint,
    credentials: LOCAL_CREDENTIALS,
    // Hundreds of concurrent calls on one single-threaded dynalite, with other test files running
    // in parallel, take seconds: a bounded pool (more sockets overflow dynalite's accept backlog,
    // ECONNRESET) and no connection timeout (it would count the wait for a pooled socket). A
    // stopped store still fails at once: the connection is refused.
    maxSockets: 128,
    connectionTimeoutMs: 0,
    requestTimeoutMs: 30_000,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  const tables = tableNames(options.prefix ?? "test");
  await createTables(client, tables);
  return {
    endpoint: server.endpoint,
    port: server.port,
    tables,
    client,
    async freshTables() {
      const names = tableNames(`t${randomUUID().slice(0, 8)}`);
      await createTables(client, names);
      return names;
    },
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}
