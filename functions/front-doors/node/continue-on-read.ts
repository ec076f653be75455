import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The body of a request that sent `Expect: 100-continue`, for the engine: `100 Continue` is
 * written only when something starts reading the body, which the engine does after the token,
 * method, size and rate-limit checks. A request refused by any of them gets its final
 * 401/403/405/413/429 without ever being invited to upload (RFC 9110 §10.1.1).
 */
export function continueOnRead(req: IncomingMessage, res: ServerResponse): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      if (!res.headersSent && !res.destroyed) res.writeContinue();
      return req[Symbol.asyncIterator]();
    },
  };
}
