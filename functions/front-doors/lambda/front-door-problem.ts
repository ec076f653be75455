import { problemJson } from "../../engine/problem-json.ts";
import { newRequestId } from "../../engine/request-id.ts";
import type { ApiGatewayV2Result } from "./apigw-v2-types.ts";

/**
 * A problem+json answer made by the Lambda front door itself, for the few cases the engine cannot
 * see: a response too large for Lambda, a body that broke before the head was sent, a gateway that
 * failed to start, a request for the streaming door. Built like the engine's problems; a request
 * the engine never saw gets a request id of its own.
 */
export function frontDoorProblem(status: number, code: string, title: string, detail: string, requestId: string = newRequestId()): ApiGatewayV2Result {
  const problem = problemJson({ status, code, title, detail, requestId });
  return { statusCode: status, headers: problem.headers, body: problem.text, isBase64Encoded: false };
}
