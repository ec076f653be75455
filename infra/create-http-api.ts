import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_FORMAT } from "./access-log-format.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";
import { HTTP_API_MAX_INTEGRATION_MS } from "../functions/contracts/lambda-time-budget.ts";

/** The only route: everything under /api reaches the function, which routes it itself. */
export const API_ROUTE_KEY = "ANY /api/{proxy+}";

/**
 * The HTTP API in front of the API function: ONE route, `ANY /api/{proxy+}`, and one integration
 * for everything under /api (endpoints, OAuth pages, unknown paths answered 404, streaming-door
 * endpoints answered 421), the throttled `$default` stage with JSON access logs, and the invoke
 * permission. One route because HTTP APIs throttle per route: `defaultRouteSettings` gives EACH
 * route its own token bucket (there is no stage-wide bucket; "Throttling requests to your HTTP
 * API" in the API Gateway developer guide: account-level per Region, then route-level), so a route
 * per endpoint made the aggregate (1 + 2N) times the configured rate. With one route the
 * configured rate is the stage's. The integration allows API Gateway's full 30 s: each endpoint's
 * own timeout is enforced by the function (`apiDoorGateway` keeps it inside 30 s minus the store
 * budget), so the client gets Gatehouse's 504, not API Gateway's 503.
 * Answers the base URL without the trailing slash, and the API's id (the alarms and dashboard read its metrics).
 */
export function createHttpApi(
  scope: GatewayScope,
  apiFn: aws.lambda.Function,
  accessLogs: aws.cloudwatch.LogGroup,
): { url: pulumi.Output<string>; apiId: pulumi.Output<string> } {
  const { name, definition, parent, transform: t } = scope;
  const api = new aws.apigatewayv2.Api(
    `${name}-api`,
    transformed(t.api, { protocolType: "HTTP", description: `Gatehouse ${definition.name}`, tags: scope.tags }, `${name}-api`),
    { parent },
  );
  const integrationName = `${name}-integration-default`;
  const integration = new aws.apigatewayv2.Integration(
    integrationName,
    transformed(
      t.integration,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: apiFn.arn,
        // The provider's default is 1.0; the front door speaks 2.0 only.
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: HTTP_API_MAX_INTEGRATION_MS,
      },
      integrationName,
    ),
    { parent },
  );
  const routeName = `${name}-route-default`;
  const route = new aws.apigatewayv2.Route(
    routeName,
    transformed(t.route, { apiId: api.id, routeKey: API_ROUTE_KEY, target: pulumi.interpolate`integrations/${integration.id}` }, routeName),
    { parent },
  );
  const routes = [route];
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
        // Applied to each route; with the one route, that is every request that reaches the function.
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
  return { url: api.apiEndpoint.apply((u) => u.replace(/\/$/, "")), apiId: api.id };
}
