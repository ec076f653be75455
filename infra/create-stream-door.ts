import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/**
 * The public response-streaming Function URL of the stream function (for endpoints whose timeout
 * is beyond API Gateway's 30 s), with the two permissions a public Function URL needs since
 * October 2025. Answers its base URL without the trailing slash.
 */
export function createStreamDoor(scope: GatewayScope, streamFn: aws.lambda.Function): pulumi.Output<string> {
  const { name, parent, transform: t } = scope;
  const url = new aws.lambda.FunctionUrl(
    `${name}-stream-url`,
    // NONE: clients authenticate with their Gatehouse bearer token, which the engine checks
    // (AWS_IAM would need SigV4 in the same Authorization header).
    transformed(t.functionUrl, { functionName: streamFn.name, authorizationType: "NONE", invokeMode: "RESPONSE_STREAM" }, `${name}-stream-url`),
    { parent },
  );
  new aws.lambda.Permission(
    `${name}-stream-url-invoke`,
    transformed(
      t.permission,
      { action: "lambda:InvokeFunctionUrl", function: streamFn.name, principal: "*", functionUrlAuthType: "NONE" },
      `${name}-stream-url-invoke`,
    ),
    { parent },
  );
  new aws.lambda.Permission(
    `${name}-stream-invoke`,
    transformed(
      t.permission,
      { action: "lambda:InvokeFunction", function: streamFn.name, principal: "*", invokedViaFunctionUrl: true },
      `${name}-stream-invoke`,
    ),
    { parent },
  );
  return url.functionUrl.apply((u) => u.replace(/\/$/, ""));
}
