import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, type Method } from "../../schema/index.ts";
import { serializeDefinition } from "../../functions/contracts/lambda-contract.ts";
import { COLD_START_KMS_CALLS, SERIAL_DYNAMODB_CALLS } from "../../functions/contracts/lambda-time-budget.ts";
import { wireAws, type AwsGateway } from "../../functions/front-doors/lambda/wire-aws.ts";
import { deployGateways } from "../../infra/deploy-gateways.ts";
import { runUnderMocks, type PlannedResource } from "../../infra/run-under-mocks.ts";

// The arithmetic of item 6 of issue 17, from the values actually configured: the SDK clients the
// Lambda wires (their resolved maxAttempts, request handler timeouts and retry strategy), the
// engine's upstream timeouts on each door, and the integration and function timeouts the
// component plans. A loopback server that accepts connections and never answers shows the
// clients really give up after maxAttempts.

const gateway = defineGateway({
  name: "budget",
  endpoints: {
    quick: { upstream: "https://a.example.com", methods: ["GET"] satisfies Method[], timeoutSeconds: 5 },
    edge: { upstream: "https://b.example.com", methods: ["GET"] satisfies Method[], timeoutSeconds: 28 },
    default: { upstream: "https://c.example.com", methods: ["GET"] satisfies Method[] },
    long: { upstream: "https://d.example.com", methods: ["GET"] satisfies Method[], timeoutSeconds: 120 },
  },
});
const settings = (frontDoor: "api" | "stream") => ({
  region: "us-east-1",
  tables: { tokens: "t", rateLimits: "r", audit: "a", connections: "c" },
  keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  secretCiphertexts: {},
  auditRetentionDays: 7,
  frontDoor,
});

interface HandlerConfig {
  connectionTimeout?: number;
  requestTimeout?: number;
  throwOnRequestTimeout?: boolean;
}
interface ClientConfig {
  maxAttempts(): Promise<number>;
  retryStrategy(): Promise<{
    acquireInitialRetryToken(s: string): Promise<{ getRetryCount(): number; getRetryDelay(): number }>;
    refreshRetryTokenForRetry(t: unknown, info: { errorType: string; error?: unknown }): Promise<{ getRetryCount(): number; getRetryDelay(): number }>;
  }>;
  requestHandler: { configProvider: Promise<HandlerConfig> };
}

/** The worst time of one call, read off a wired client: attempts × per-attempt timeouts + the pauses its strategy returns. */
async function worstCallOf(client: { config: unknown }): Promise<{ attempts: number; worstMs: number }> {
  const config = client.config as ClientConfig;
  const handler = await config.requestHandler.configProvider;
  expect(handler.throwOnRequestTimeout).toBe(true);
  const strategy = await config.retryStrategy();
  // Walk the strategy as the SDK's retry middleware does, with a retryable error each time.
  let token = await strategy.acquireInitialRetryToken("scope");
  let attempts = 1;
  let pauses = 0;
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING", error: new Error("slow down") });
    } catch {
      break;
    }
    attempts += 1;
    pauses += token.getRetryDelay();
    expect(attempts).toBeLessThan(10);
  }
  expect(attempts).toBe(await config.maxAttempts());
  return { attempts, worstMs: attempts * (handler.connectionTimeout! + handler.requestTimeout!) + pauses };
}

let api: AwsGateway;
let stream: AwsGateway;
let planned: PlannedResource[];
let budgetMs: number;

beforeAll(async () => {
  [api, stream] = await Promise.all([wireAws(serializeDefinition(gateway), settings("api")), wireAws(serializeDefinition(gateway), settings("stream"))]);
  const dynamo = await worstCallOf(api.clients.document);
  const kms = await worstCallOf(api.clients.kms);
  budgetMs = SERIAL_DYNAMODB_CALLS * dynamo.worstMs + COLD_START_KMS_CALLS * kms.worstMs;
  planned = (await runUnderMocks(() => ({ gateways: deployGateways([gateway], { secret: () => pulumi.secret("x") }).outputs }))).resources;
}, 60_000);

const inputsOf = (type: string, name: string) => planned.find((r) => r.type === type && r.name === name)!.rawInputs;

describe("the store's worst case fits inside the margins", () => {
  it("the wired clients' worst case is a few seconds, not the SDK default's 3 × (5 s + 2 s) per call", () => {
    expect(budgetMs).toBeGreaterThan(0);
    expect(budgetMs).toBeLessThanOrEqual(2_000);
  });

  it("API door: every endpoint's upstream timeout plus the store budget fits inside the integration timeout", () => {
    const integration = inputsOf("aws:apigatewayv2/integration:Integration", "budget-integration-default");
    for (const slug of ["quick", "edge", "default"]) {
      const upstreamMs = api.served.endpoints[slug]!.timeoutSeconds * 1000;
      expect(upstreamMs + budgetMs).toBeLessThanOrEqual(integration.timeoutMilliseconds as number);
    }
    // The default 29 s is held to what API Gateway's 30 s leave; shorter timeouts are untouched.
    expect(api.served.endpoints.default!.timeoutSeconds).toBe(28);
    expect(api.served.endpoints.quick!.timeoutSeconds).toBe(5);
    expect(api.served.endpoints.edge!.timeoutSeconds).toBe(28);
    expect(api.served.revision).toBe(gateway.revision);
  });

  it("each function runs long enough for its longest upstream timeout plus the store budget", () => {
    const apiFn = inputsOf("aws:lambda/function:Function", "budget-api");
    const streamFn = inputsOf("aws:lambda/function:Function", "budget-stream");
    const longestApi = Math.max(...["quick", "edge", "default"].map((s) => api.served.endpoints[s]!.timeoutSeconds));
    expect(longestApi * 1000 + budgetMs).toBeLessThanOrEqual((apiFn.timeout as number) * 1000);
    expect(stream.served.endpoints.long!.timeoutSeconds).toBe(120); // the stream door keeps every timeout
    expect(120_000 + budgetMs).toBeLessThanOrEqual((streamFn.timeout as number) * 1000);
  });
});

describe("the wired clients really give up after their attempts", () => {
  let server: Server;
  let connections = 0;
  const sockets = new Set<Socket>();
  const saved = { ...process.env };

  beforeAll(async () => {
    // Accepts, reads, never answers: every attempt ends at the request timeout.
    server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on("data", () => {});
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_KMS: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
  });

  afterAll(async () => {
    for (const key of ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_KMS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("DynamoDB and KMS: a hung store costs exactly maxAttempts attempts, then a TimeoutError", async () => {
    const wired = await wireAws(serializeDefinition(gateway), settings("api"));
    const attempts = await (wired.clients.document.config as unknown as ClientConfig).maxAttempts();
    connections = 0;
    const dynamo = await wired.clients.document.send(new GetCommand({ TableName: "t", Key: { pk: "x" } })).catch((e: unknown) => e as Error);
    expect((dynamo as Error).name).toBe("TimeoutError");
    expect(connections).toBe(attempts);
    connections = 0;
    const kms = await wired.clients.kms.send(new DescribeKeyCommand({ KeyId: "k" })).catch((e: unknown) => e as Error);
    expect((kms as Error).name).toBe("TimeoutError");
    expect(connections).toBe(await (wired.clients.kms.config as unknown as ClientConfig).maxAttempts());
  }, 20_000);
});
