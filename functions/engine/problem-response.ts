import type { GatewayResponse } from "../ports/http-types.ts";
import { OUTCOMES, type Refusal } from "./outcome.ts";
import { problemJson } from "./problem-json.ts";

const encoder = new TextEncoder();

/**
 * The one place a refusal becomes a response: its outcome's status and public words as
 * problem+json ({@link problemJson}), with the refusal's headers (Allow, WWW-Authenticate,
 * Retry-After ...) and any extra ones (the RateLimit fields).
 */
export function problemResponse(refusal: Refusal, requestId: string, extraHeaders: Record<string, string> = {}): GatewayResponse {
  const outcome = OUTCOMES[refusal.code];
  const problem = problemJson({ status: outcome.status, code: refusal.code, title: outcome.title, detail: outcome.detail, requestId, extra: refusal.extra });
  return {
    status: outcome.status,
    headers: { ...problem.headers, ...extraHeaders, ...refusal.headers },
    body: encoder.encode(problem.text),
  };
}
