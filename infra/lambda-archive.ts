import * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../schema/gateway.ts";
import { DEFINITION_FILE, SECRETS_FILE, serializeCiphertexts, serializeDefinition } from "../functions/contracts/lambda-contract.ts";
import { buildLambdaBundle } from "./build-lambda-bundle.ts";

/**
 * The function's code: the shared bundle as `index.mjs`, the validated definition as
 * `gateway.json` and the deploy-time KMS ciphertexts as `secrets.json` beside it. Both travel as
 * files, not environment variables: Lambda caps all variables at 4 KB together (about 13 KMS
 * ciphertexts, or one PEM key, would exceed it), and a file keeps the deployed definition readable
 * in the console. All are deterministic, so an unchanged gateway is an unchanged archive.
 */
export function lambdaArchive(definition: Gateway, ciphertexts: Record<string, string> = {}): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({
    "index.mjs": new pulumi.asset.StringAsset(buildLambdaBundle().code),
    [DEFINITION_FILE]: new pulumi.asset.StringAsset(serializeDefinition(definition)),
    [SECRETS_FILE]: new pulumi.asset.StringAsset(serializeCiphertexts(ciphertexts)),
  });
}

/** The archive once the ciphertexts KMS made at deploy time are known. */
export function lambdaArchiveOutput(definition: Gateway, ciphertexts: Record<string, pulumi.Output<string>>): pulumi.Output<pulumi.asset.AssetArchive> {
  return pulumi.all(ciphertexts).apply((known) => lambdaArchive(definition, known));
}
