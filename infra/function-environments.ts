import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_ENVIRONMENT_MAX_BYTES } from "../functions/contracts/lambda-contract.ts";
import type { PlannedResource } from "./run-under-mocks.ts";

/** The size of one planned function's environment against Lambda's cap. */
export interface FunctionEnvironmentSize {
  /** The function's logical name (`<gateway>-api`, `<gateway>-stream`). */
  function: string;
  bytes: number;
  limit: number;
  ok: boolean;
}

/**
 * Each planned Lambda function's environment size. Lambda caps a function's variables at 4 KB
 * together and measures the JSON of the map (its CreateFunction error quotes the "String
 * measured"), so that is what is counted here: the UTF-8 bytes of `JSON.stringify(variables)`,
 * secrets unwrapped to their real length. Over the cap, `pulumi up` would fail at CreateFunction.
 */
export function functionEnvironmentSizes(resources: PlannedResource[]): FunctionEnvironmentSize[] {
  return resources
    .filter((r) => r.type === "aws:lambda/function:Function")
    .map((r) => {
      const environment = r.rawInputs.environment as { variables?: Record<string, unknown> } | undefined;
      const variables = Object.fromEntries(
        Object.entries(environment?.variables ?? {}).map(([k, v]) => [k, pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v]),
      );
      const bytes = Buffer.byteLength(JSON.stringify(variables), "utf8");
      return { function: r.name, bytes, limit: LAMBDA_ENVIRONMENT_MAX_BYTES, ok: bytes <= LAMBDA_ENVIRONMENT_MAX_BYTES };
    });
}
