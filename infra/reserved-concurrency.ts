/**
 * Splits the gateway's reserved concurrency between its functions, so the total is what was asked
 * (it used to be applied to each function, doubling it): all to the only function, or half
 * rounded up to the API function and the rest to the stream function when there are both.
 * Undefined stays undefined. A value that is not a whole number of at least 1 (2 with both
 * functions) is an error: 0 would stop every invocation.
 */
export function splitReservedConcurrency(
  total: number | undefined,
  functions: { api: boolean; stream: boolean },
  gateway: string,
): { api?: number; stream?: number } {
  if (total === undefined) return {};
  const both = functions.api && functions.stream;
  const least = both ? 2 : 1;
  if (!Number.isInteger(total) || total < least) {
    throw new Error(
      `Gateway options: reservedConcurrency of gateway '${gateway}' must be a whole number of at least ${least}${both ? " (it is shared by the API and the stream function)" : ""}; got ${total}`,
    );
  }
  if (!both) return functions.stream ? { stream: total } : { api: total };
  const api = Math.ceil(total / 2);
  return { api, stream: total - api };
}
