import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import type { WatchedFunction } from "./create-alarms.ts";
import { ENV } from "../functions/contracts/lambda-contract.ts";
import { createGatewayFunction, type FunctionBase } from "./create-gateway-function.ts";
import { createHttpApi } from "./create-http-api.ts";
import { createStreamDoor } from "./create-stream-door.ts";
import type { DoorLayout } from "./door-layout.ts";
import type { GatewayScope } from "./gateway-scope.ts";
import { API_FUNCTION_MIN_SECONDS, functionTimeoutSeconds } from "./timeouts.ts";

/** The log groups the doors' functions and API write to (from `createLogGroups`). */
export interface DoorLogs {
  api: aws.cloudwatch.LogGroup | undefined;
  stream: aws.cloudwatch.LogGroup | undefined;
  access: aws.cloudwatch.LogGroup | undefined;
}

/**
 * The functions and the doors in front of them, as the layout says: the streaming function behind
 * its Function URL when it exists, and the API function behind the HTTP API when there is one.
 * Answers both base URLs (without API Gateway the base URL is the Function URL's), the functions
 * and the HTTP API's id for the alarms and the dashboard.
 */
export function createDoors(
  scope: GatewayScope,
  base: FunctionBase,
  layout: DoorLayout,
  logs: DoorLogs,
  reserved: { api?: number; stream?: number },
): { baseUrl: pulumi.Output<string>; streamUrl: pulumi.Output<string | null>; functions: WatchedFunction[]; apiId: pulumi.Output<string> | undefined } {
  const functions: WatchedFunction[] = [];
  let streamUrl: pulumi.Output<string | null> = pulumi.output(null);
  if (layout.streamFunction && logs.stream) {
    const streamFn = createGatewayFunction(scope, base, {
      kind: "stream",
      handler: "index.streamHandler",
      // Alone, it also serves the OAuth connect pages (see API_FUNCTION_MIN_SECONDS).
      timeoutSeconds: functionTimeoutSeconds(layout.stream, layout.apiGateway ? 0 : API_FUNCTION_MIN_SECONDS),
      logs: logs.stream,
      reservedConcurrency: reserved.stream,
    });
    functions.push({ role: "stream", fn: streamFn });
    streamUrl = createStreamDoor(scope, streamFn);
  }
  if (!layout.apiGateway || !logs.api || !logs.access) return { baseUrl: streamUrl.apply((u) => u ?? ""), streamUrl, functions, apiId: undefined };
  const apiFn = createGatewayFunction(scope, base, {
    kind: "api",
    handler: "index.handler",
    timeoutSeconds: functionTimeoutSeconds(layout.api, API_FUNCTION_MIN_SECONDS),
    logs: logs.api,
    reservedConcurrency: reserved.api,
    ...(layout.streamFunction ? { extraEnvironment: { [ENV.streamUrl]: streamUrl.apply((u) => u ?? "") } } : {}),
  });
  functions.unshift({ role: "api", fn: apiFn });
  const api = createHttpApi(scope, apiFn, logs.access);
  return { baseUrl: api.url, streamUrl, functions, apiId: api.apiId };
}
