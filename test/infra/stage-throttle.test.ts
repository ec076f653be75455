import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import { deployGateways } from "../../infra/deploy-gateways.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";
import { stageThrottles } from "../../infra/stage-throttle.ts";

// HTTP APIs throttle each route with its own bucket (defaultRouteSettings applies per route; there
// is no stage-wide bucket), so the configured rate is the gateway's cap only with one route.

let resources: PlannedResource[];
const endpoint = (host: string) => ({ upstream: `https://${host}.example.com`, methods: ["GET"] satisfies Method[] });

beforeAll(async () => {
  const gateway = defineGateway({
    name: "throttled",
    endpoints: { a: endpoint("a"), b: endpoint("b"), c: endpoint("c"), d: endpoint("d"), e: endpoint("e"), long: { ...endpoint("f"), timeoutSeconds: 90 } },
  });
  const run = await runUnderMocks(() => ({
    gateways: deployGateways([gateway], { secret: () => pulumi.secret("x"), options: { throttle: { rateLimit: 50, burstLimit: 80 } } }).outputs,
  }));
  resources = run.resources.filter((r) => r.custom);
}, 60_000);

describe("the configured throttle is the whole stage's", () => {
  it("five API-door endpoints share one route, so the stage admits 50/s with a burst of 80, not (1 + 2 × 5) × that", () => {
    const routes = resources.filter((r) => r.type === "aws:apigatewayv2/route:Route");
    expect(routes.map((r) => [r.name, r.rawInputs.routeKey])).toEqual([["throttled-route-default", "ANY /api/{proxy+}"]]);
    expect(stageThrottles(resources)).toEqual([
      { stage: "throttled-stage", perRoute: { rateLimit: 50, burstLimit: 80 }, routes: 1, total: { rateLimit: 50, burstLimit: 80 } },
    ]);
  });

  it("counts every route a transform would add: the total is routes × the per-route figures", () => {
    const stage = resources.find((r) => r.type === "aws:apigatewayv2/stage:Stage")!;
    const route = resources.find((r) => r.type === "aws:apigatewayv2/route:Route")!;
    const extra = { ...route, name: "throttled-extra-route" };
    expect(stageThrottles([stage, route, extra])[0]!.total).toEqual({ rateLimit: 100, burstLimit: 160 });
  });
});
