import { ENV } from "../../contracts/lambda-contract.ts";
import type { ApiGatewayV2Event, ApiGatewayV2Result, LambdaContext } from "./apigw-v2-types.ts";
import { frontDoorProblem } from "./front-door-problem.ts";
import { misdirectedEndpoint } from "./long-timeouts.ts";
import { restoreApiGatewayPath } from "./restore-path-encoding.ts";
import { stripStage } from "./strip-stage.ts";
import { toGatewayRequest } from "./to-gateway-request.ts";
import { toLambdaResult } from "./to-lambda-result.ts";
import type { AwsGateway } from "./wire-aws.ts";
import { errorMessage } from "../../../schema/error-message.ts";

/** A buffered payload v2 handler (API Gateway HTTP API). */
export type BufferedHandler = (event: ApiGatewayV2Event, context?: LambdaContext) => Promise<ApiGatewayV2Result>;

/**
 * Memoises the wiring of one cold start. A failure is logged and not cached, so a transient
 * start-up problem does not pin a broken instance; every invocation meanwhile gets a 503.
 */
export function once(wire: () => Promise<AwsGateway>): () => Promise<AwsGateway> {
  let wired: Promise<AwsGateway> | null = null;
  return () => {
    wired ??= wire().catch((error: unknown) => {
      wired = null;
      throw error;
    });
    return wired;
  };
}

/** The 503 every invocation gets while the gateway cannot be wired (the reason goes to the log only). */
export function unavailable(error: unknown): ApiGatewayV2Result {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", event: "lambda.wiring_failed", error: errorMessage(error) })}\n`);
  return frontDoorProblem(503, "GATEWAY_UNAVAILABLE", "Service unavailable", "The gateway failed to start; nothing was forwarded.");
}

/**
 * The API Gateway door: event to engine to buffered result. The engine's body is read to its end
 * before returning, so the audit record is written inside this invocation (Lambda freezes the
 * process after the return, and a pending write could be lost).
 */
export function createHandler(wire: () => Promise<AwsGateway>, env: Record<string, string | undefined> = process.env): BufferedHandler {
  const gatewayOnce = once(wire);
  return async (event) => {
    let wired;
    try {
      wired = await gatewayOnce();
    } catch (error) {
      return unavailable(error);
    }
    const base = env[ENV.streamUrl]?.replace(/\/$/, "") || null;
    // The API door's rawPath arrives percent-decoded; the Function URL's as the client sent it.
    const restored = wired.settings.frontDoor === "api" ? restoreApiGatewayPath(stripStage(event)) : { ok: true as const, path: event.rawPath };
    if (!restored.ok) {
      const where = base
        ? `the gateway's Function URL keeps the client's encoding: call ${base} with the same path`
        : 'this gateway has no Function URL door (deploy it with frontDoor "function-url" to keep every encoding)';
      return frontDoorProblem(
        400,
        "PATH_ENCODING_LOST",
        "Bad request",
        `API Gateway decodes the request path before Gatehouse sees it, and ${restored.reason}; nothing was forwarded. ${where}.`,
      );
    }
    const long = wired.settings.frontDoor === "api" ? misdirectedEndpoint(wired.gateway, restored.path) : null;
    if (long) {
      return frontDoorProblem(
        421,
        "USE_STREAMING_URL",
        "Misdirected request",
        `Endpoint '${long.slug}' has a ${long.timeoutSeconds} s timeout, longer than API Gateway allows; call it at ${base ?? "the gateway's stream URL"}${restored.path}`,
      );
    }
    const request = toGatewayRequest({ ...event, rawPath: restored.path });
    const response = await wired.engine.handle(request);
    return toLambdaResult(response, request.method);
  };
}
