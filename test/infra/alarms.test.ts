import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import githubOAuth from "../../examples/github-oauth/gateway.ts";
import { defineGateway, type Gateway } from "../../schema/index.ts";
import { deployGateways, deploymentOptionsFromConfig, type DeploymentOptions } from "../../infra/deploy-gateways.ts";
import { Gateway as GatewayComponent } from "../../infra/gateway.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";
import { EMF_NAMESPACE, METRIC } from "../../functions/contracts/cloudwatch-metrics.ts";
import { dashboardName } from "../../infra/create-dashboard.ts";

// Under Pulumi's mocks: the alarms and the dashboard each door layout gets, and what they watch.
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:oncall";
const plain = defineGateway({
  name: "watched",
  endpoints: {
    quick: { upstream: "https://a.example.com", methods: ["GET"] },
    slow: { upstream: "https://b.example.com", methods: ["GET"], timeoutSeconds: 90 },
  },
});

async function plan(gateway: Gateway, options: DeploymentOptions): Promise<PlannedResource[]> {
  const run = await runUnderMocks(() => ({ gateways: deployGateways([gateway], { secret: () => pulumi.secret("x"), options }).outputs }));
  return run.resources.filter((r) => r.custom);
}
// Sorted by name: resources register in the order their inputs resolve, not the order they were created.
const alarmsOf = (resources: PlannedResource[]) =>
  resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").sort((a, b) => a.name.localeCompare(b.name));
const byName = (resources: PlannedResource[], name: string) => resources.find((r) => r.name === name)!.rawInputs as Record<string, unknown>;

describe("the gateway's alarms", () => {
  it("API Gateway with a streaming door: 5xx rate, upstream failures and a throttle alarm per function, each notifying the topic", async () => {
    const resources = await plan(plain, { alarms: { topicArn: TOPIC } });
    expect(alarmsOf(resources).map((r) => r.name)).toEqual([
      "watched-alarm-5xx-rate",
      "watched-alarm-throttles-api",
      "watched-alarm-throttles-stream",
      "watched-alarm-upstream-failures",
    ]);
    const rate = byName(resources, "watched-alarm-5xx-rate");
    expect(rate).toMatchObject({
      name: "gatehouse-gatehouse-test-watched-5xx-rate".replace("gatehouse-test", `${pulumi.getProject()}-${pulumi.getStack()}`),
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      alarmActions: [TOPIC],
      okActions: [TOPIC],
    });
    const queries = rate.metricQueries as Array<Record<string, unknown>>;
    expect(queries.map((q) => q.expression ?? (q.metric as Record<string, unknown>).metricName)).toEqual([
      METRIC.errors5xx,
      METRIC.requests,
      "IF(requests >= 20, 100 * errors / requests, 0)",
    ]);
    expect(queries[0]!.metric).toEqual({ namespace: EMF_NAMESPACE, metricName: "Errors5xx", dimensions: { Gateway: "watched" }, period: 300, stat: "Sum" });
    expect(queries.map((q) => q.returnData)).toEqual([false, false, true]);
    const upstream = byName(resources, "watched-alarm-upstream-failures");
    expect(upstream).toMatchObject({ comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 5 });
    expect((upstream.metricQueries as Array<Record<string, unknown>>).map((q) => q.expression ?? (q.metric as Record<string, unknown>).metricName)).toEqual([
      "UpstreamErrors",
      "UpstreamTimeouts",
      "errors + timeouts",
    ]);
    const throttles = byName(resources, "watched-alarm-throttles-stream");
    expect(throttles).toMatchObject({ namespace: "AWS/Lambda", metricName: "Throttles", statistic: "Sum", threshold: 1, period: 300 });
    // The function's physical name (auto-named by Pulumi from its logical name; the mocks add a suffix).
    expect((throttles.dimensions as Record<string, string>).FunctionName).toMatch(/^watched-stream-\w+$/);
    expect((byName(resources, "watched-alarm-throttles-api").dimensions as Record<string, string>).FunctionName).toMatch(/^watched-api-\w+$/);
  }, 60_000);

  it("a gateway with OAuth connections also alarms on a connection needing re-authorization; no topic means no actions", async () => {
    const resources = await plan(githubOAuth, {});
    expect(alarmsOf(resources).map((r) => r.name)).toEqual([
      "github-oauth-alarm-5xx-rate",
      "github-oauth-alarm-needs-reauthorization",
      "github-oauth-alarm-throttles-api",
      "github-oauth-alarm-upstream-failures",
    ]);
    expect(byName(resources, "github-oauth-alarm-needs-reauthorization")).toMatchObject({
      namespace: EMF_NAMESPACE,
      metricName: "ConnectionNeedsReauthorization",
      dimensions: { Gateway: "github-oauth" },
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
    for (const alarm of alarmsOf(resources)) {
      expect(alarm.rawInputs.alarmActions).toBeUndefined();
      expect(alarm.rawInputs.okActions).toBeUndefined();
    }
  }, 60_000);

  it("function-url: no API Gateway, so one throttle alarm (the stream function) and no HTTP API widget", async () => {
    const resources = await plan(plain, { frontDoor: "function-url", alarms: { errorRatePercent: 2, minRequests: 50, periodSeconds: 60 } });
    expect(alarmsOf(resources).map((r) => r.name)).toEqual(["watched-alarm-5xx-rate", "watched-alarm-throttles-stream", "watched-alarm-upstream-failures"]);
    const rate = byName(resources, "watched-alarm-5xx-rate");
    expect(rate.threshold).toBe(2);
    expect((rate.metricQueries as Array<Record<string, unknown>>)[2]!.expression).toBe("IF(requests >= 50, 100 * errors / requests, 0)");
    expect(((rate.metricQueries as Array<Record<string, unknown>>)[0]!.metric as Record<string, unknown>).period).toBe(60);
    const body = JSON.parse(String(byName(resources, "watched-dashboard").dashboardBody)) as { widgets: Array<{ properties: { title: string } }> };
    expect(body.widgets.map((w) => w.properties.title)).not.toContain("HTTP API requests, 4xx (throttled 429s among them), 5xx");
  }, 60_000);

  it("alarms: false creates none, and the dashboard stays", async () => {
    const resources = await plan(plain, { alarms: false });
    expect(alarmsOf(resources)).toEqual([]);
    expect(resources.filter((r) => r.type === "aws:cloudwatch/dashboard:Dashboard").map((r) => r.name)).toEqual(["watched-dashboard"]);
  }, 60_000);

  it("refuses bad alarm options before anything is registered, naming each", () => {
    expect(() => new GatewayComponent("t", { definition: plain, alarms: { errorRatePercent: 0, periodSeconds: 90, upstreamFailures: 1.5 } })).toThrow(
      "Gateway options: alarms.errorRatePercent must be above 0 and below 100; alarms.upstreamFailures must be a whole number, at least 1; alarms.periodSeconds must be 60 or a multiple of 60, at most 86400",
    );
  });

  it("the stack config keys alarmTopicArn and alarms reach the option", () => {
    for (const [config, expected] of [
      [{ "gatehouse:alarmTopicArn": TOPIC }, { topicArn: TOPIC }],
      [{ "gatehouse:alarms": "false", "gatehouse:alarmTopicArn": TOPIC }, false],
      [{}, undefined],
    ] as const) {
      pulumi.runtime.setAllConfig(config);
      try {
        expect(deploymentOptionsFromConfig(new pulumi.Config("gatehouse")).alarms).toEqual(expected);
      } finally {
        pulumi.runtime.setAllConfig({});
      }
    }
  });
});

describe("the gateway's dashboard", () => {
  it("draws the metrics the function emits, the functions, the HTTP API and the alarms", async () => {
    const resources = await plan(plain, {});
    const dashboard = byName(resources, "watched-dashboard");
    expect(dashboard.dashboardName).toBe(dashboardName(pulumi.getProject(), pulumi.getStack(), "watched"));
    const body = JSON.parse(String(dashboard.dashboardBody)) as { widgets: Array<{ type: string; properties: Record<string, unknown> }> };
    const metrics = body.widgets.flatMap((w) => (w.properties.metrics ?? []) as unknown[][]);
    const own = metrics.filter((m) => m[0] === EMF_NAMESPACE).map((m) => m[1]);
    // Every per-request metric of the EMF line is drawn somewhere.
    for (const name of [
      METRIC.requests,
      METRIC.errors5xx,
      METRIC.upstreamErrors,
      METRIC.upstreamTimeouts,
      METRIC.rateLimited,
      METRIC.needsReauthorization,
      METRIC.duration,
      METRIC.upstreamDuration,
    ])
      expect(own).toContain(name);
    expect(metrics.filter((m) => m[0] === "AWS/Lambda").map((m) => m[1])).toEqual(["Invocations", "Errors", "Throttles", "Invocations", "Errors", "Throttles"]);
    expect(metrics.filter((m) => m[0] === "AWS/ApiGateway").map((m) => m[1])).toEqual(["Count", "4xx", "5xx"]);
    expect(JSON.stringify(body)).toContain(`SEARCH('{Gatehouse,Gateway,Result} MetricName=\\"OAuthRefresh\\" Gateway=\\"watched\\"', 'Sum', 300)`);
    const alarmWidget = body.widgets.find((w) => w.type === "alarm")!;
    expect(alarmWidget.properties.alarms).toHaveLength(4);
  }, 60_000);

  it("names it within CloudWatch's rule (letters, digits, - and _; at most 255)", () => {
    expect(dashboardName("my.project", "prod/eu", "pay")).toBe("gatehouse-my_project-prod_eu-pay");
    expect(dashboardName("p", "s", "g".repeat(300))).toHaveLength(255);
  });
});
