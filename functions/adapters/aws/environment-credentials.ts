import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * The Lambda bundle's stand-in for `@aws-sdk/credential-provider-node` (infra/build-lambda-bundle.ts
 * aliases that package here): the SDK clients' default credentials become the environment's
 * only. Lambda puts the execution role's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN in the function's environment (AWS Lambda Developer Guide, "Defined runtime
 * environment variables"), so the rest of the chain (SSO, INI files, process, web identity,
 * container and instance metadata, with the STS/SSO clients they carry, about 100 KiB) never
 * runs there. The CLI and local servers keep the SDK's full chain: only the bundle is aliased.
 */
export function defaultProvider(init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
