import type { Endpoint } from "../../schema/gateway.ts";
import type { GatewayRequest } from "../ports/http-types.ts";
import { endpointPlan } from "./endpoint-plan.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

/**
 * The method allowlist (405 with `Allow`) and the declared body size (413), both checked before
 * the rate limit so a request refused anyway counts nothing. `declared` is the client's
 * Content-Length when it sent exactly one valid one (the front door rejects conflicts).
 */
export function checkMethodAndLength(endpoint: Endpoint, request: GatewayRequest): StepResult<{ declared: number | null }> {
  if (!endpointPlan(endpoint).methods.has(request.method)) {
    return refused(refuse("METHOD_NOT_ALLOWED", `${request.method} is not allowed`, { headers: { allow: endpoint.methods.join(", ") } }));
  }
  const value = request.headers["content-length"];
  const declared = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null;
  if (declared !== null && declared > endpoint.maxRequestBytes) {
    return refused(refuse("BODY_TOO_LARGE", `declared ${declared} bytes, limit ${endpoint.maxRequestBytes}`));
  }
  return { ok: true, declared };
}
