import type { ApiGatewayV2Result } from "./apigw-v2-types.ts";

/**
 * A problem+json answer made by the Lambda front door itself, for the few cases the engine cannot
 * see: a response too large for Lambda, a body that broke before the head was sent, a gateway that
 * failed to start. Same shape and `type` scheme as the engine's problems.
 */
export function frontDoorProblem(status: number, code: string, title: string, detail: string, requestId?: string): ApiGatewayV2Result {
  const body = {
    type: `https://gatehouse.dev/problems/${code.toLowerCase().replace(/_/g, "-")}`,
    title,
    status,
    detail,
    code,
    ...(requestId ? { requestId } : {}),
  };
  return {
    statusCode: status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...(requestId ? { "x-request-id": requestId } : {}) },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
