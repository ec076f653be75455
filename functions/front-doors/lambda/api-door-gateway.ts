import type { Gateway } from "../../../schema/gateway.ts";
import { apiDoorUpstreamMaxSeconds } from "../../contracts/lambda-time-budget.ts";

/**
 * The gateway as the API Gateway door serves it: an endpoint timeout beyond what API Gateway's
 * 30 s leave after the store budget (28 s) is cut to that, so Gatehouse answers (504, audited)
 * before API Gateway gives up with its own bare 503. The revision is the deployed one: the audit
 * still names the definition that decided the request.
 */
export function apiDoorGateway(gateway: Gateway, limit: number = apiDoorUpstreamMaxSeconds()): Gateway {
  const endpoints = Object.fromEntries(
    Object.entries(gateway.endpoints).map(([slug, e]) => [slug, e.timeoutSeconds > limit ? { ...e, timeoutSeconds: limit } : e]),
  );
  return { ...gateway, endpoints };
}
