import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TABLES, type TableKey, type TableNames } from "../functions/contracts/tables.ts";
import { mapValues, transformed, type GatewayScope } from "./gateway-scope.ts";
import { tableArgs } from "./table-args.ts";

/** The DynamoDB tables of `TABLES`, encrypted with the table key; their physical names as one output. */
export function createGatewayTables(
  scope: GatewayScope,
  tableKey: aws.kms.Key,
): { tables: Record<TableKey, aws.dynamodb.Table>; tableNames: pulumi.Output<TableNames> } {
  const tables = {} as Record<TableKey, aws.dynamodb.Table>;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const def = TABLES[key];
    const logical = `${scope.name}-${def.suffix}`;
    tables[key] = new aws.dynamodb.Table(
      logical,
      transformed(
        scope.transform.table,
        tableArgs(def, { kmsKeyArn: tableKey.arn, deletionProtection: scope.settings.deletionProtection, tags: scope.tags }),
        logical,
      ),
      { parent: scope.parent },
    );
  }
  return { tables, tableNames: pulumi.output(mapValues(tables, (table) => table.name)) as pulumi.Output<TableNames> };
}
