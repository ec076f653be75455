import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { createDocumentClient, LOCAL_CREDENTIALS } from "../../functions/adapters/aws/dynamo-client.ts";
import { dynamoItemBytes } from "../../functions/adapters/aws/dynamo-item-size.ts";
import { MAX_AUDIT_ITEM_BYTES } from "../../functions/adapters/aws/fit-audit-item.ts";
import { AUDIT_TABLE } from "../../functions/contracts/tables.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";
import { recordCapacity } from "../helpers/capacity-recorder.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";

let db: TestDynalite;
beforeAll(async () => {
  db = await startTestDynalite();
});
afterAll(async () => {
  await db?.stop();
});

/** A sink whose client records the capacity dynalite reports for each write. */
async function measuredSink() {
  const tables = await db.freshTables();
  const client = createDocumentClient({ region: "us-east-1", endpoint: db.endpoint, credentials: LOCAL_CREDENTIALS });
  const calls = recordCapacity(client);
  return { sink: new DynamoAuditSink({ client, tableName: tables.audit }), calls, client, tables };
}

describe("audit items: one write unit each", () => {
  it("the audit table has no secondary index, so a write is billed for the table alone", async () => {
    const { client, tables } = await measuredSink();
    const table = await client.send(new DescribeTableCommand({ TableName: tables.audit }));
    expect(table.Table?.GlobalSecondaryIndexes).toBeUndefined();
    expect(AUDIT_TABLE.globalSecondaryIndexes).toEqual([]);
    client.destroy();
  });

  it("an ordinary record is stored unchanged and costs 1 write unit", async () => {
    const { sink, calls, client } = await measuredSink();
    const record = auditRecord();
    await sink.write(record);
    expect(calls.map((c) => [c.command, c.units])).toEqual([["PutItemCommand", 1]]);
    expect(await sink.query({ gatewayId: record.gatewayId! })).toEqual([record]);
    client.destroy();
  });

  it("a record with a 6 KB path and a 2 KB User-Agent is shortened, marked with …, to 1 KB: 1 write unit", async () => {
    const { sink, calls, client } = await measuredSink();
    const path = `/api/x/proxy/github/${"a".repeat(6000)}?page=REDACTED`;
    const record = auditRecord({ path, userAgent: `agent/${"b".repeat(2000)}`, reason: "r".repeat(300) });
    expect(dynamoItemBytes(sink.item(auditRecord())) < MAX_AUDIT_ITEM_BYTES).toBe(true);
    expect(dynamoItemBytes(sink.item(record))).toBeLessThanOrEqual(MAX_AUDIT_ITEM_BYTES);
    await sink.write(record);
    expect(calls.map((c) => [c.command, c.units])).toEqual([["PutItemCommand", 1]]);
    const [stored] = await sink.query({ gatewayId: record.gatewayId! });
    expect(stored!.path.startsWith("/api/x/proxy/github/aaaa")).toBe(true);
    expect(stored!.path.endsWith("…")).toBe(true);
    expect(stored!.userAgent!.endsWith("…")).toBe(true);
    // Everything that is not free text is kept exactly.
    const { path: _p, userAgent: _u, reason: _r, ...rest } = stored!;
    const { path: _p2, userAgent: _u2, reason: _r2, ...expected } = record;
    expect(rest).toEqual(expected);
    client.destroy();
  });

  it("a guard refusal with 60 IPv6 addresses keeps the first ones that fit: 1 write unit", async () => {
    const { sink, calls, client } = await measuredSink();
    const addresses = Array.from({ length: 60 }, (_, i) => `2001:db8:85a3:0000:0000:8a2e:0370:${String(i).padStart(4, "0")}`);
    const record = auditRecord({ status: 502, decision: "UPSTREAM_UNREACHABLE", ssrf: { rule: "private", addresses } });
    await sink.write(record);
    expect(calls.map((c) => [c.command, c.units])).toEqual([["PutItemCommand", 1]]);
    const [stored] = await sink.query({ gatewayId: record.gatewayId! });
    expect(stored!.ssrf!.rule).toBe("private");
    expect(stored!.ssrf!.addresses.length).toBeGreaterThan(5);
    expect(stored!.ssrf!.addresses.length).toBeLessThan(60);
    expect(stored!.ssrf!.addresses).toEqual(addresses.slice(0, stored!.ssrf!.addresses.length));
    client.destroy();
  });

  it("the size count agrees with the store's at the 1 KB edge: 1024 bytes of names and strings is 1 unit, 1025 is 2", async () => {
    const { calls, client, tables } = await measuredSink();
    const item = (n: number) => ({ pk: "edge#0", sk: `000#${n}`, text: "p".repeat(n - (2 + 5 + 2 + 5 + 4 + 4)) });
    expect(dynamoItemBytes(item(1024))).toBe(1024);
    expect(dynamoItemBytes(item(1025))).toBe(1025);
    await client.send(new PutCommand({ TableName: tables.audit, Item: item(1024) }));
    await client.send(new PutCommand({ TableName: tables.audit, Item: item(1025) }));
    expect(calls.map((c) => c.units)).toEqual([1, 2]);
    // Multi-byte text counts in UTF-8: 341 three-byte characters are 1023 bytes.
    expect(dynamoItemBytes({ t: "€".repeat(341) })).toBe(1 + 1023);
    client.destroy();
  });

  it("an item that does not fit the limit by its fixed fields alone is written as it is (more units, never a lost record)", async () => {
    const { sink, calls, client } = await measuredSink();
    const record = auditRecord({ revision: "r".repeat(1500) });
    await sink.write(record);
    expect(calls.map((c) => [c.command, c.units])).toEqual([["PutItemCommand", 2]]);
    expect((await sink.query({ gatewayId: record.gatewayId! }))[0]!.revision).toBe(record.revision);
    client.destroy();
  });
});
