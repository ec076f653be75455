import * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../schema/gateway.ts";
import { DEFINITION_FILE, serializeDefinition } from "../functions/contracts/lambda-contract.ts";
import { buildLambdaBundle } from "./build-lambda-bundle.ts";

/**
 * The function's code: the shared bundle as `index.mjs` and the validated definition as
 * `gateway.json` beside it. The definition travels as a file, not an environment variable:
 * Lambda caps all variables at 4 KB together, and a file keeps the deployed definition readable
 * in the console. Both are deterministic, so an unchanged gateway is an unchanged archive.
 */
export function lambdaArchive(definition: Gateway): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset(buildLambdaBundle().code),
    [DEFINITION_FILE]: new pulumi.asset.StringAsset(serializeDefinition(definition)),
  });
}
