import { KMSClient } from "@aws-sdk/client-kms";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../adapters/aws/dynamo-client.ts";
import { LAMBDA_DYNAMODB_LIMITS, LAMBDA_KMS_LIMITS } from "../../contracts/lambda-time-budget.ts";
import { boundedRetryStrategy } from "./bounded-retry-strategy.ts";

/** The Lambda's two AWS clients. */
export interface LambdaSdkClients {
  document: DynamoDBDocumentClient;
  kms: KMSClient;
}

/**
 * The Lambda's DynamoDB and KMS clients, each held to its limits of `lambda-time-budget.ts`
 * (attempts, connection and request timeouts, a fixed pause between attempts), so that
 * `storeBudgetMs()` is their real worst case and the margins `infra/` derives from it hold.
 */
export function createLambdaSdkClients(region: string): LambdaSdkClients {
  const dynamo = LAMBDA_DYNAMODB_LIMITS;
  const document = createDocumentClient({
    region,
    maxAttempts: dynamo.maxAttempts,
    connectionTimeoutMs: dynamo.connectionTimeoutMs,
    requestTimeoutMs: dynamo.requestTimeoutMs,
    retryStrategy: boundedRetryStrategy(dynamo),
  });
  const kms = new KMSClient({
    region,
    maxAttempts: LAMBDA_KMS_LIMITS.maxAttempts,
    retryStrategy: boundedRetryStrategy(LAMBDA_KMS_LIMITS),
    // throwOnRequestTimeout: without it the SDK only logs a warning when requestTimeout passes.
    requestHandler: {
      connectionTimeout: LAMBDA_KMS_LIMITS.connectionTimeoutMs,
      requestTimeout: LAMBDA_KMS_LIMITS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  return { document, kms };
}
