import type { ApiGatewayV2Event } from "./apigw-v2-types.ts";

/**
 * `rawPath` without the stage. On an HTTP API stage other than `$default` the stage name is the
 * first segment of the invoke URL (`https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/…`,
 * "Working with stages for HTTP APIs" in the API Gateway developer guide), and payload 2.0 hands
 * the function that whole path, stage included, with `requestContext.stage` naming it. The
 * component deploys `$default` (no prefix), but a `transform.stage` may rename it; the gateway's
 * routes start at `/api`, so the prefix is dropped here. Function URLs are always `$default`.
 */
export function stripStage(event: Pick<ApiGatewayV2Event, "rawPath" | "requestContext">): string {
  const stage = event.requestContext.stage;
  if (!stage || stage === "$default") return event.rawPath;
  const prefix = `/${stage}`;
  if (event.rawPath === prefix) return "/";
  return event.rawPath.startsWith(`${prefix}/`) ? event.rawPath.slice(prefix.length) : event.rawPath;
}
