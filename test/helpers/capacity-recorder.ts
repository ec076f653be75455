import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** One DynamoDB call and the capacity the store reported for it (null: none reported, e.g. a failed condition). */
export interface RecordedCall {
  command: string;
  table: string;
  /** Table capacity units of the call (write units for writes, read units for reads). */
  units: number | null;
  /** Index capacity the store reported, by index name (dynalite reports none for writes). */
  indexUnits: Record<string, number>;
  failed: boolean;
}

/**
 * Asks for `ReturnConsumedCapacity: "INDEXES"` on every call of a document client and records
 * what comes back. dynalite computes table units from item sizes as DynamoDB documents
 * (1 write unit per started KB, 1 read unit per started 4 KB strongly consistent); it reports
 * no index units for writes and nothing for a write whose condition failed, which DynamoDB
 * still bills (Developer Guide, "Condition expressions": a failed conditional write consumes
 * write capacity). Callers count those by the documented rule.
 */
export function recordCapacity(client: DynamoDBDocumentClient): RecordedCall[] {
  const calls: RecordedCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = "INDEXES";
      const call: RecordedCall = { command: context.commandName ?? "?", table: input.TableName ?? "?", units: null, indexUnits: {}, failed: false };
      calls.push(call);
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity;
        if (consumed) {
          call.units = consumed.Table?.CapacityUnits ?? consumed.CapacityUnits ?? null;
          for (const [name, index] of Object.entries(consumed.GlobalSecondaryIndexes ?? {})) call.indexUnits[name] = index.CapacityUnits ?? 0;
        }
        return result;
      } catch (error) {
        call.failed = true;
        throw error;
      }
    },
    { step: "initialize", name: "recordCapacity" },
  );
  return calls;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}
