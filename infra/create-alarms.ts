import * as aws from "@pulumi/aws";
import { EMF_NAMESPACE, METRIC } from "../functions/contracts/cloudwatch-metrics.ts";
import type { AlarmSettings } from "./alarm-options.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** A gateway function the alarms watch, by its role in the door layout. */
export interface WatchedFunction {
  role: "api" | "stream";
  fn: aws.lambda.Function;
}

/**
 * The gateway's alarms, each named `<name>-alarm-<what>` and, in CloudWatch,
 * `gatehouse-<project>-<stack>-<gateway>-<what>`:
 * - `5xx-rate`: 5xx answers above `errorRatePercent` of the requests in a period (metric math
 *   `IF(requests >= minRequests, 100 * errors / requests, 0)`, so a quiet period never fires);
 * - `upstream-failures`: upstream errors plus timeouts at `upstreamFailures` or more in a period;
 * - `needs-reauthorization` (only with OAuth connections): any request refused because a
 *   connection's grant is dead and a person must run `gatehouse connect` again;
 * - `throttles-<role>`: Lambda refused invocations of a gateway function for lack of concurrency
 *   (`AWS/Lambda` `Throttles`, which counts exactly that). API Gateway's stage throttle answers its
 *   429s before the function runs and CloudWatch counts them only inside the HTTP API's `4xx`,
 *   with the clients' own mistakes, so no alarm can single them out; the dashboard shows `4xx`.
 * Missing data is "not breaching" (CloudWatch's `treatMissingData`): no traffic is no alarm. With
 * `topicArn`, each alarm notifies it on ALARM and on OK. Behaviour relied on, from the CloudWatch
 * user guide: metric math with `IF` and arithmetic on `Sum`s of one period
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html), metrics
 * extracted from EMF log lines under their `Name` and dimension sets
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * and Lambda's `Throttles` by `FunctionName`
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
 */
export function createAlarms(scope: GatewayScope, settings: AlarmSettings, functions: WatchedFunction[]): aws.cloudwatch.MetricAlarm[] {
  const { name, definition, project, stack } = scope;
  const period = settings.periodSeconds;
  const gateway = { Gateway: definition.name };
  const actions = settings.topicArn === undefined ? {} : { alarmActions: [settings.topicArn], okActions: [settings.topicArn] };
  const emf = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: { namespace: EMF_NAMESPACE, metricName, dimensions: gateway, period, stat: "Sum" },
  });
  const alarm = (what: string, description: string, args: Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmDescription" | "evaluationPeriods">) => {
    const logical = `${name}-alarm-${what}`;
    return new aws.cloudwatch.MetricAlarm(
      logical,
      transformed(
        scope.transform.alarm,
        {
          name: `gatehouse-${project}-${stack}-${definition.name}-${what}`,
          alarmDescription: `Gatehouse gateway '${definition.name}': ${description}`,
          evaluationPeriods: 1,
          treatMissingData: "notBreaching",
          tags: scope.tags,
          ...actions,
          ...args,
        },
        logical,
      ),
      { parent: scope.parent },
    );
  };

  const alarms = [
    alarm(
      "5xx-rate",
      `more than ${settings.errorRatePercent}% of requests answered 5xx in ${period} s (periods under ${settings.minRequests} requests excepted)`,
      {
        comparisonOperator: "GreaterThanThreshold",
        threshold: settings.errorRatePercent,
        metricQueries: [
          emf("errors", METRIC.errors5xx),
          emf("requests", METRIC.requests),
          { id: "rate", label: "5xx %", returnData: true, expression: `IF(requests >= ${settings.minRequests}, 100 * errors / requests, 0)` },
        ],
      },
    ),
    alarm("upstream-failures", `${settings.upstreamFailures} or more upstream errors and timeouts in ${period} s`, {
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: settings.upstreamFailures,
      metricQueries: [
        emf("errors", METRIC.upstreamErrors),
        emf("timeouts", METRIC.upstreamTimeouts),
        { id: "failures", label: "upstream errors + timeouts", returnData: true, expression: "errors + timeouts" },
      ],
    }),
  ];
  if (Object.keys(definition.connections).length > 0) {
    alarms.push(
      alarm("needs-reauthorization", "an OAuth connection needs authorizing again (requests refused; run `gatehouse connect` for it)", {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        namespace: EMF_NAMESPACE,
        metricName: METRIC.needsReauthorization,
        dimensions: gateway,
        period,
        statistic: "Sum",
      }),
    );
  }
  for (const { role, fn } of functions) {
    alarms.push(
      alarm(`throttles-${role}`, `Lambda throttled the ${role} function (no concurrency left)`, {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: fn.name },
        period,
        statistic: "Sum",
      }),
    );
  }
  return alarms;
}
