import type { GatewayResponse } from "../ports/http-types.ts";
import { OUTCOMES, type Refusal } from "./outcome.ts";

const encoder = new TextEncoder();

/**
 * The one place a refusal becomes a response: `application/problem+json` (RFC 9457) with a
 * stable `code` and the request id.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export function problemResponse(refusal: Refusal, requestId: string, extraHeaders: Record<string, string> = {}): GatewayResponse {
  const outcome = OUTCOMES[refusal.code];
  const body = {
    type: `https://gatehouse.dev/problems/${refusal.code.toLowerCase().replace(/_/g, "-")}`,
    title: outcome.title,
    status: outcome.status,
    detail: outcome.detail,
    code: refusal.code,
    requestId,
    ...refusal.extra,
  };
  return {
    status: outcome.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "x-request-id": requestId,
      ...extraHeaders,
      ...refusal.headers,
    },
    body: encoder.encode(JSON.stringify(body)),
  };
}
