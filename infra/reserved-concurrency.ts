/**
 * Splits the gateway's reserved concurrency between its functions, so the total is what was asked
 * (it used to be applied to each function, doubling it): all to the API function, or half rounded
 * up to it and the rest to the stream function when there is one. Undefined stays undefined.
 * A value that is not a whole number of at least 1 (2 with a streaming door) is an error: 0 would
 * stop every invocation.
 */
export function splitReservedConcurrency(total: number | undefined, withStream: boolean, gateway: string): { api?: number; stream?: number } {
  if (total === undefined) return {};
  const least = withStream ? 2 : 1;
  if (!Number.isInteger(total) || total < least) {
    throw new Error(
      `Gateway options: reservedConcurrency of gateway '${gateway}' must be a whole number of at least ${least}${withStream ? " (it is shared by the API and the stream function)" : ""}; got ${total}`,
    );
  }
  if (!withStream) return { api: total };
  const api = Math.ceil(total / 2);
  return { api, stream: total - api };
}
