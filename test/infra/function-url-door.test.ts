import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import { buildInfraReport } from "../../cli/diff/build-infra-report.ts";
import type { InfraReport } from "../../cli/diff/infra-change.ts";
import { deployGateways, deploymentOptionsFromConfig } from "../../infra/deploy-gateways.ts";
import { Gateway } from "../../infra/gateway.ts";
import type { GatewayOutputs } from "../../infra/gateway-outputs.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";

// frontDoor: "function-url": every endpoint on one response-streaming Function URL, no API Gateway.

const gateway = defineGateway({
  name: "direct",
  endpoints: {
    quick: { upstream: "https://a.example.com", methods: ["GET"] satisfies Method[], timeoutSeconds: 5 },
    usual: { upstream: "https://b.example.com", methods: ["GET", "POST"] satisfies Method[] },
    report: { upstream: "https://c.example.com", methods: ["GET"] satisfies Method[], timeoutSeconds: 120 },
  },
});
let resources: PlannedResource[];
let outputs: Record<string, GatewayOutputs>;
let switched: InfraReport;

beforeAll(async () => {
  const run = await runUnderMocks(() => ({
    gateways: deployGateways([gateway], { secret: () => pulumi.secret("x"), options: { frontDoor: "function-url", reservedConcurrency: 3 } }).outputs,
  }));
  resources = run.resources.filter((r) => r.custom);
  outputs = run.outputs.gateways;
  // What `gatehouse diff --infra --front-door function-url` compares: the same definition, planned both ways.
  switched = await buildInfraReport([gateway], [gateway], new Set(), { frontDoor: "function-url" });
}, 90_000);

const ofType = (type: string) => resources.filter((r) => r.type === type);

describe('frontDoor "function-url"', () => {
  it("plans no API Gateway resource and no access log group", () => {
    expect(resources.filter((r) => r.type.startsWith("aws:apigatewayv2/"))).toEqual([]);
    expect(ofType("aws:cloudwatch/logGroup:LogGroup").map((r) => r.rawInputs.name)).toEqual(["/gatehouse/gatehouse/plan/direct/stream"]);
    expect(ofType("aws:lambda/permission:Permission").map((r) => r.rawInputs.principal)).toEqual(["*", "*"]);
  });

  it("one streaming function serves every endpoint: the longest timeout plus the margin, the whole reserved concurrency, the stream door's environment", () => {
    const functions = ofType("aws:lambda/function:Function");
    expect(functions.map((f) => f.name)).toEqual(["direct-stream"]);
    const fn = functions[0]!.rawInputs as {
      handler: string;
      timeout: number;
      reservedConcurrentExecutions: number;
      environment: { variables: Record<string, unknown> };
    };
    expect(fn.handler).toBe("index.streamHandler");
    expect(fn.timeout).toBe(125);
    expect(fn.reservedConcurrentExecutions).toBe(3);
    expect(fn.environment.variables.GATEHOUSE_FRONT_DOOR).toBe("stream");
    expect(fn.environment.variables).not.toHaveProperty("GATEHOUSE_STREAM_URL");
    expect(ofType("aws:lambda/functionUrl:FunctionUrl").map((u) => u.rawInputs)).toEqual([
      expect.objectContaining({ invokeMode: "RESPONSE_STREAM", authorizationType: "NONE" }),
    ]);
  });

  it("the base URL is the Function URL, and every endpoint is under it", () => {
    const out = outputs.direct!;
    const url = "https://direct-stream-url.lambda-url.eu-west-1.on.aws";
    expect(out).toMatchObject({ frontDoor: "function-url", baseUrl: url, streamUrl: url });
    expect(out.endpoints).toEqual({
      quick: `${url}/api/${gateway.id}/proxy/quick`,
      usual: `${url}/api/${gateway.id}/proxy/usual`,
      report: `${url}/api/${gateway.id}/proxy/report`,
    });
  });

  it("the role may write only the stream function's logs", () => {
    const policy = JSON.parse(ofType("aws:iam/rolePolicy:RolePolicy")[0]!.rawInputs.policy as string) as {
      Statement: Array<{ Sid: string; Resource: string[] }>;
    };
    const logs = policy.Statement.find((s) => s.Sid === "WriteOwnLogs")!.Resource;
    expect(logs.every((r) => r.includes("/direct/stream"))).toBe(true);
  });

  it("refuses throttle (there is no stage) and an unknown front door, in one line each", () => {
    expect(() => new Gateway("t", { definition: gateway, frontDoor: "function-url", throttle: { rateLimit: 5, burstLimit: 5 } })).toThrow(
      /^Gateway options: throttle needs API Gateway: with frontDoor "function-url" there is no stage to throttle/,
    );
    expect(() => new Gateway("t", { definition: gateway, frontDoor: "cloudfront" as "function-url" })).toThrow(
      'Gateway options: frontDoor must be "api-gateway" or "function-url", not "cloudfront"',
    );
  });

  it("the stack config key frontDoor reaches the option", () => {
    pulumi.runtime.setAllConfig({ "gatehouse:frontDoor": "function-url" });
    try {
      expect(deploymentOptionsFromConfig(new pulumi.Config("gatehouse")).frontDoor).toBe("function-url");
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});

describe("the switch, as diff --infra --front-door shows it", () => {
  const lines = () => switched.gateways.flatMap((g) => g.changes.map((c) => `${c.action} ${c.type} ${c.name}`)).sort();

  it("API Gateway, its function, logs and throttle alarm go (the dashboard loses their widgets); the streaming function and its URL stay (so the long endpoint's URL does not move); the role loses permissions", () => {
    expect(switched.problems).toEqual([]);
    expect(lines()).toEqual(
      [
        "delete aws:apigatewayv2/api:Api direct-api",
        "delete aws:apigatewayv2/integration:Integration direct-integration-default",
        "delete aws:apigatewayv2/route:Route direct-route-default",
        "delete aws:apigatewayv2/stage:Stage direct-stage",
        "delete aws:cloudwatch/logGroup:LogGroup direct-access-logs",
        "delete aws:cloudwatch/metricAlarm:MetricAlarm direct-alarm-throttles-api",
        "update aws:cloudwatch/dashboard:Dashboard direct-dashboard",
        "delete aws:cloudwatch/logGroup:LogGroup direct-api-logs",
        "delete aws:lambda/function:Function direct-api",
        "delete aws:lambda/permission:Permission direct-api-invoke",
        "update aws:iam/rolePolicy:RolePolicy direct-role-policy",
      ].sort(),
    );
    expect(switched.summary).toMatchObject({ create: 0, update: 2, delete: 9, permissionsWidened: 0, protectionLost: 0 });
  });
});
