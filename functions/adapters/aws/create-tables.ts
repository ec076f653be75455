import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TABLES, type TableDefinition, type TableKey, type TableNames } from "../../contracts/tables.ts";

/** The CreateTable input of a definition under a physical name (on-demand billing). */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: definition.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: definition.hashKey, KeyType: "HASH" },
      ...(definition.rangeKey ? [{ AttributeName: definition.rangeKey, KeyType: "RANGE" as const }] : []),
    ],
    ...(definition.globalSecondaryIndexes.length
      ? {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.hashKey, KeyType: "HASH" as const },
              ...(index.rangeKey ? [{ AttributeName: index.rangeKey, KeyType: "RANGE" as const }] : []),
            ],
            Projection: { ProjectionType: index.projectionType },
          })),
        }
      : {}),
  };
}

/**
 * Creates the missing tables and waits until they are ACTIVE; tables that exist are left as they
 * are, so it is safe on every start. Meant for local stores: in AWS, infra/ owns the tables.
 * TTL is switched on where the store supports it (dynalite does not, and never expires items).
 */
export async function createTables(
  documentClient: DynamoDBClient | DynamoDBDocumentClient,
  names: TableNames,
  keys: TableKey[] = Object.keys(TABLES) as TableKey[],
): Promise<void> {
  // A document client sends plain DynamoDB commands too (same config and middleware stack).
  const client = documentClient as DynamoDBClient;
  await Promise.all(
    keys.map(async (key) => {
      const definition: TableDefinition = TABLES[key];
      const name = names[key];
      try {
        await client.send(new CreateTableCommand(createTableInput(definition, name)));
      } catch (error) {
        if ((error as { name?: string }).name !== "ResourceInUseException") throw error;
      }
      await waitActive(client, name);
      if (definition.ttlAttribute) {
        try {
          await client.send(
            new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true } }),
          );
        } catch {
          // dynalite does not know UpdateTimeToLive; DynamoDB says ValidationException when it is already on.
        }
      }
    }),
  );
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesReady) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}
