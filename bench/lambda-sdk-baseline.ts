import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { LAMBDA_BUILD_OPTIONS } from "../infra/build-lambda-bundle.ts";

/**
 * The smallest useful Lambda on the AWS SDK: `@aws-sdk/client-dynamodb` alone (its own default
 * credential chain, nothing of ours), one client made at import, one strongly consistent GetItem
 * per invocation, built with the gateway bundle's esbuild settings. Its import is the yardstick
 * of issue 18 (the gateway's cold import at most 1.5x this one, in the same run).
 */
const BASELINE_SOURCE = `
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({});
export const handler = async () => {
  const tableName = JSON.parse(process.env.GATEHOUSE_TABLES).tokens;
  await client.send(new GetItemCommand({ TableName: tableName, Key: { hash: { S: "baseline" } }, ConsistentRead: true }));
  return { statusCode: 200, headers: {}, body: "" };
};
`;

/** The baseline bundle written to `<dir>/index.mjs` (invoke-locally.mjs runs it like the gateway's); returns its size. */
export async function writeSdkBaseline(dir: string): Promise<{ bytes: number }> {
  const result = buildSync({ ...LAMBDA_BUILD_OPTIONS, stdin: { contents: BASELINE_SOURCE, resolveDir: LAMBDA_BUILD_OPTIONS.absWorkingDir, loader: "js" } });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no baseline output");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "index.mjs"), file.contents);
  return { bytes: file.contents.byteLength };
}
