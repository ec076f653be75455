import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EMF_NAMESPACE, METRIC } from "../functions/contracts/cloudwatch-metrics.ts";
import type { WatchedFunction } from "./create-alarms.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** What the dashboard draws besides the gateway's own metrics. */
export interface DashboardSources {
  region: pulumi.Input<string>;
  functions: WatchedFunction[];
  /** The HTTP API's id, when the gateway has one. */
  apiId: pulumi.Input<string> | undefined;
  alarms: aws.cloudwatch.MetricAlarm[];
}

/** CloudWatch's rule for dashboard names: letters, digits, `-` and `_`, at most 255 characters. */
export function dashboardName(project: string, stack: string, gateway: string): string {
  return `gatehouse-${project}-${stack}-${gateway}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 255);
}

/**
 * One CloudWatch dashboard per gateway (`<name>-dashboard`): requests and 5xx, upstream errors and
 * timeouts, latency (p50/p99 of the whole request and of the upstream), rate-limited and
 * re-authorization refusals, OAuth refreshes by result, the functions' invocations, errors and
 * throttles, the HTTP API's requests, 4xx (its throttle's 429s among them) and 5xx, and the
 * alarms' states. Widget JSON as in "Dashboard Body Structure and Syntax" of the CloudWatch API
 * reference (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 */
export function createDashboard(scope: GatewayScope, sources: DashboardSources): aws.cloudwatch.Dashboard {
  const logical = `${scope.name}-dashboard`;
  const body = pulumi
    .all([sources.region, pulumi.all(sources.functions.map((f) => f.fn.name)), sources.apiId ?? "", pulumi.all(sources.alarms.map((a) => a.arn))])
    .apply(([region, functionNames, apiId, alarmArns]) => JSON.stringify(dashboardBody(scope.definition.name, region, functionNames, apiId, alarmArns)));
  return new aws.cloudwatch.Dashboard(
    logical,
    transformed(scope.transform.dashboard, { dashboardName: dashboardName(scope.project, scope.stack, scope.definition.name), dashboardBody: body }, logical),
    { parent: scope.parent },
  );
}

type MetricRow = Array<string | Record<string, string>>;

/** The dashboard's JSON body (exported for tests). */
export function dashboardBody(gateway: string, region: string, functionNames: string[], apiId: string, alarmArns: string[]) {
  const own = (metric: string, options: Record<string, string> = {}): MetricRow => [
    EMF_NAMESPACE,
    metric,
    "Gateway",
    gateway,
    ...(Object.keys(options).length ? [options] : []),
  ];
  const graph = (title: string, metrics: MetricRow[], stat = "Sum") => ({
    type: "metric",
    width: 12,
    height: 6,
    properties: { title, region, stat, period: 300, view: "timeSeries", metrics },
  });
  const widgets: object[] = [
    graph("Requests and 5xx", [own(METRIC.requests), own(METRIC.errors5xx)]),
    graph("Upstream errors and timeouts", [own(METRIC.upstreamErrors), own(METRIC.upstreamTimeouts)]),
    graph("Latency (ms)", [own(METRIC.duration, { stat: "p50" }), own(METRIC.duration, { stat: "p99" }), own(METRIC.upstreamDuration, { stat: "p99" })], "p99"),
    graph("Refused: rate limited, connection needs re-authorization", [own(METRIC.rateLimited), own(METRIC.needsReauthorization)]),
    // One line per Result value, whichever occur: a SEARCH expression rather than a fixed list.
    graph("OAuth token refreshes by result", [
      [{ expression: `SEARCH('{${EMF_NAMESPACE},Gateway,Result} MetricName="${METRIC.oauthRefresh}" Gateway="${gateway}"', 'Sum', 300)`, id: "refreshes" }],
    ]),
    graph(
      "Lambda invocations, errors, throttles",
      functionNames.flatMap((fn) => ["Invocations", "Errors", "Throttles"].map((m): MetricRow => ["AWS/Lambda", m, "FunctionName", fn])),
    ),
  ];
  if (apiId !== "")
    widgets.push(
      graph(
        "HTTP API requests, 4xx (throttled 429s among them), 5xx",
        ["Count", "4xx", "5xx"].map((m): MetricRow => ["AWS/ApiGateway", m, "ApiId", apiId]),
      ),
    );
  widgets.push({ type: "alarm", width: 24, height: 3, properties: { title: "Alarms", alarms: alarmArns } });
  return { widgets };
}
