import type { SdkCallLimits } from "../../contracts/lambda-time-budget.ts";

/** The SDK's retry token, as far as its retry middleware reads it. */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/** The SDK's classification of a failed attempt (`RetryErrorInfo`). */
interface RetryErrorInfo {
  errorType: "TRANSIENT" | "THROTTLING" | "SERVER_ERROR" | "CLIENT_ERROR";
  error?: unknown;
}

/** An AWS SDK v3 retry strategy (the `RetryStrategyV2` shape its clients accept as `retryStrategy`). */
export interface BoundedRetryStrategy {
  readonly mode: "standard";
  readonly limits: SdkCallLimits;
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

const token = (retries: number, delay: number): RetryToken => ({ getRetryCount: () => retries, getRetryDelay: () => delay });

/**
 * A retry strategy whose worst case is a fixed sum: at most `limits.maxAttempts` attempts with
 * `limits.retryDelayMs` between them. The SDK's standard strategy backs off with jitter, up to 1 s
 * after a throttling error and longer after a Retry-After, which no request-time budget can hold.
 * Client errors (a failed condition, a validation error) are never retried, as in the SDK's own.
 * The middleware sleeps for the returned token's delay; the strategy keeps no state between calls.
 */
export function boundedRetryStrategy(limits: SdkCallLimits): BoundedRetryStrategy {
  return {
    mode: "standard",
    limits,
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const retries = previous.getRetryCount() + 1;
      if (info.errorType === "CLIENT_ERROR" || retries >= limits.maxAttempts) throw info.error ?? new Error("no more attempts");
      return token(retries, limits.retryDelayMs);
    },
    recordSuccess: () => {},
  };
}
