import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { defineGateway } from "../../schema/index.ts";
import { deployGateways } from "../../infra/deploy-gateways.ts";
import { splitReservedConcurrency } from "../../infra/reserved-concurrency.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";

// One mock run per file: Pulumi's runtime state is global to the process.
let functions: PlannedResource[];
let resources: PlannedResource[];

beforeAll(async () => {
  const gateway = defineGateway({
    name: "reserved",
    endpoints: {
      quick: { upstream: "https://a.example.com", methods: ["GET"] },
      long: { upstream: "https://b.example.com", methods: ["GET"], timeoutSeconds: 120 },
    },
  });
  const run = await runUnderMocks(
    () => ({ gateways: deployGateways([gateway], { secret: () => pulumi.secret("x"), options: { reservedConcurrency: 9 } }).outputs }),
    {
      project: "team.app",
      stack: "prod.eu-1",
    },
  );
  resources = run.resources;
  functions = run.resources.filter((r) => r.type === "aws:lambda/function:Function");
}, 60_000);

describe("reservedConcurrency is the gateway's total, not each function's", () => {
  it("splits 9 as 5 for the API function and 4 for the stream function", () => {
    const byName = Object.fromEntries(functions.map((f) => [f.name, f.rawInputs.reservedConcurrentExecutions]));
    expect(byName).toEqual({ "reserved-api": 5, "reserved-stream": 4 });
  });

  it("gives it all to the API function when there is no stream door; unset stays unset", () => {
    expect(splitReservedConcurrency(7, { api: true, stream: false }, "g")).toEqual({ api: 7 });
    expect(splitReservedConcurrency(undefined, { api: true, stream: true }, "g")).toEqual({});
  });

  it("refuses 0, fractions, and 1 with a stream door, naming the gateway", () => {
    expect(() => splitReservedConcurrency(0, { api: true, stream: false }, "g")).toThrow(
      /reservedConcurrency of gateway 'g' must be a whole number of at least 1; got 0/,
    );
    expect(() => splitReservedConcurrency(2.5, { api: true, stream: false }, "g")).toThrow(/got 2.5/);
    expect(() => splitReservedConcurrency(1, { api: true, stream: true }, "g")).toThrow(/at least 2 \(it is shared by the API and the stream function\)/);
  });
});

describe("account-wide names carry the Pulumi project and only characters AWS accepts", () => {
  it("KMS aliases: project and stack with '.' made alias-safe", () => {
    const aliases = resources.filter((r) => r.type === "aws:kms/alias:Alias").map((r) => r.rawInputs.name as string);
    expect(aliases.length).toBe(2);
    for (const a of aliases) expect(a).toMatch(/^alias\/gatehouse\/team-app\/prod-eu-1\/reserved\/(table|envelope)-key$/);
    for (const a of aliases) expect(a).toMatch(/^[a-zA-Z0-9:/_-]+$/);
  });

  it("log groups: /gatehouse/<project>/<stack>/<gateway>/...", () => {
    const groups = resources
      .filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")
      .map((r) => r.rawInputs.name as string)
      .sort();
    expect(groups).toEqual([
      "/aws/vendedlogs/gatehouse/team.app/prod.eu-1/reserved/access",
      "/gatehouse/team.app/prod.eu-1/reserved/api",
      "/gatehouse/team.app/prod.eu-1/reserved/stream",
    ]);
  });
});
