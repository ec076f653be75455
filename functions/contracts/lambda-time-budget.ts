/**
 * The time a Lambda-served request may spend in Gatehouse's own AWS calls, shared by the Lambda
 * wire module (which configures its SDK clients with these limits) and `infra/` (which sizes the
 * API Gateway integration and the function timeout from them). One module, so the deployed
 * margins and the clients' worst case cannot drift apart.
 */

/** How one AWS SDK client in the Lambda may spend time on one call. */
export interface SdkCallLimits {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Milliseconds to get a connection (the SDK's `requestHandler.connectionTimeout`). */
  connectionTimeoutMs: number;
  /** Milliseconds a connected request may wait for its answer (`requestHandler.requestTimeout`, socket idle). */
  requestTimeoutMs: number;
  /** The fixed pause before each retry (the bounded strategy's; the SDK's default would pause up to 1 s on throttling, or longer after a Retry-After). */
  retryDelayMs: number;
}

/**
 * DynamoDB from the Lambda: in-region calls answer in single-digit milliseconds and a TCP connect
 * takes a few; these limits are some 10x that, with one retry, so a hung attempt is retried once
 * quickly instead of holding the request for the SDK's default 3 × 5 s.
 */
export const LAMBDA_DYNAMODB_LIMITS: SdkCallLimits = { maxAttempts: 2, connectionTimeoutMs: 100, requestTimeoutMs: 125, retryDelayMs: 25 };

/** KMS from the Lambda (Decrypt of the deployed secrets at cold start, data keys for OAuth tokens). */
export const LAMBDA_KMS_LIMITS: SdkCallLimits = { maxAttempts: 2, connectionTimeoutMs: 100, requestTimeoutMs: 125, retryDelayMs: 25 };

/** The longest one call can take under `limits`: every attempt timing out, with the pauses between them. */
export function worstCallMs(limits: SdkCallLimits): number {
  return limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs) + (limits.maxAttempts - 1) * limits.retryDelayMs;
}

/**
 * The DynamoDB calls an admitted request makes one after another, outside the upstream's own
 * timeout: the token read, the rate-limit UpdateItem (before the upstream call) and the audit
 * PutItem (after it). A rate-limit write that loses a clock race is tried again (rare: two writers
 * whose clocks disagree on the minute), which this count leaves out.
 */
export const SERIAL_DYNAMODB_CALLS = 3;

/**
 * The KMS round a cold start adds: the deployed secrets are decrypted in parallel, once, before
 * the first request that needs one is forwarded.
 */
export const COLD_START_KMS_CALLS = 1;

/** What Gatehouse's own AWS calls can add to a request's upstream time, at worst, from the limits above. */
export function storeBudgetMs(dynamo: SdkCallLimits = LAMBDA_DYNAMODB_LIMITS, kms: SdkCallLimits = LAMBDA_KMS_LIMITS): number {
  return SERIAL_DYNAMODB_CALLS * worstCallMs(dynamo) + COLD_START_KMS_CALLS * worstCallMs(kms);
}

/** API Gateway HTTP API's hard integration limit (the API Gateway quotas page: 30 s, not adjustable). */
export const HTTP_API_MAX_INTEGRATION_MS = 30_000;

/**
 * The longest upstream timeout the API Gateway door gives an endpoint: what is left of API
 * Gateway's 30 s after the store budget, in whole seconds (28 with the limits above). An endpoint
 * whose `timeoutSeconds` is longer but still at most 29 is cut there on that door, so the client
 * gets Gatehouse's own 504 and its audit record instead of API Gateway's bare 503.
 */
export function apiDoorUpstreamMaxSeconds(budgetMs: number = storeBudgetMs()): number {
  return Math.floor((HTTP_API_MAX_INTEGRATION_MS - budgetMs) / 1000);
}
