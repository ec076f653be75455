import type { Endpoint } from "../schema/gateway.ts";
import { storeBudgetMs } from "../functions/contracts/lambda-time-budget.ts";

/**
 * Seconds a function may run beyond its longest endpoint timeout: the store budget (the Lambda's
 * own DynamoDB and KMS calls at their worst, `storeBudgetMs`), rounded up, plus 3 s for a cold
 * start's import and the response. Past the function timeout Lambda kills the invocation, audit
 * write included, so this must hold the budget whole.
 */
export const FUNCTION_MARGIN_SECONDS = Math.ceil(storeBudgetMs() / 1000) + 3;

/**
 * The shortest the API function may run: it also serves the OAuth connect pages, whose callback
 * exchanges the code and reads the identity (each call up to 10 s) whatever the endpoints' timeouts.
 */
export const API_FUNCTION_MIN_SECONDS = 25;

/** The function timeout that covers the longest of the endpoints a door serves (and `floor`). */
export function functionTimeoutSeconds(endpoints: Endpoint[], floor = 0): number {
  const longest = Math.max(floor, ...endpoints.map((e) => e.timeoutSeconds));
  return Math.min(900, longest + FUNCTION_MARGIN_SECONDS);
}
