import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Endpoint } from "../schema/gateway.ts";
import { ACCESS_LOG_FORMAT } from "./access-log-format.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";
import { HTTP_API_MAX_INTEGRATION_MS, integrationTimeoutMs } from "./timeouts.ts";

/**
 * The HTTP API in front of the API function: a catch-all route for everything under /api without
 * a route of its own (OAuth pages, unknown paths answered 404, streaming-door endpoints answered
 * 421), one integration and route pair per API-door endpoint (so its timeout follows its
 * definition), the throttled `$default` stage with JSON access logs, and the invoke permission.
 * Answers the base URL without the trailing slash.
 */
export function createHttpApi(
  scope: GatewayScope,
  apiFn: aws.lambda.Function,
  apiEndpoints: Endpoint[],
  accessLogs: aws.cloudwatch.LogGroup,
): pulumi.Output<string> {
  const { name, definition, parent, transform: t } = scope;
  const api = new aws.apigatewayv2.Api(
    `${name}-api`,
    transformed(t.api, { protocolType: "HTTP", description: `Gatehouse ${definition.name}`, tags: scope.tags }, `${name}-api`),
    { parent },
  );
  const integration = (logical: string, timeoutMilliseconds: number) =>
    new aws.apigatewayv2.Integration(
      logical,
      transformed(
        t.integration,
        {
          apiId: api.id,
          integrationType: "AWS_PROXY",
          integrationMethod: "POST",
          integrationUri: apiFn.arn,
          // The provider's default is 1.0; the front door speaks 2.0 only.
          payloadFormatVersion: "2.0",
          timeoutMilliseconds,
        },
        logical,
      ),
      { parent },
    );
  const route = (logical: string, routeKey: string, target: aws.apigatewayv2.Integration) =>
    new aws.apigatewayv2.Route(logical, transformed(t.route, { apiId: api.id, routeKey, target: pulumi.interpolate`integrations/${target.id}` }, logical), {
      parent,
    });
  const routes = [route(`${name}-route-default`, "ANY /api/{proxy+}", integration(`${name}-integration-default`, HTTP_API_MAX_INTEGRATION_MS))];
  for (const endpoint of apiEndpoints) {
    const target = integration(`${name}-${endpoint.slug}-integration`, integrationTimeoutMs(endpoint));
    const base = `/api/${definition.id}/proxy/${endpoint.slug}`;
    routes.push(route(`${name}-${endpoint.slug}-route`, `ANY ${base}`, target), route(`${name}-${endpoint.slug}-route-tail`, `ANY ${base}/{proxy+}`, target));
  }
  const throttle = scope.settings.throttle;
  new aws.apigatewayv2.Stage(
    `${name}-stage`,
    transformed(
      t.stage,
      {
        apiId: api.id,
        // $default keeps the stage name out of rawPath.
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: throttle.rateLimit, throttlingBurstLimit: throttle.burstLimit, detailedMetricsEnabled: false },
        accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
        tags: scope.tags,
      },
      `${name}-stage`,
    ),
    { parent, dependsOn: routes },
  );
  new aws.lambda.Permission(
    `${name}-api-invoke`,
    transformed(
      t.permission,
      {
        action: "lambda:InvokeFunction",
        function: apiFn.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*/api/*`,
      },
      `${name}-api-invoke`,
    ),
    { parent },
  );
  return api.apiEndpoint.apply((u) => u.replace(/\/$/, ""));
}
