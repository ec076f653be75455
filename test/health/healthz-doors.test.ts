import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway } from "../../schema/index.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { send } from "../helpers/send.ts";
import { REPO, runCli, startServe } from "../helpers/serve-process.ts";
import { startFakeKmsServer, type FakeKmsServer } from "../lambda/support/fake-kms-server.ts";
import { lambdaEnvironment } from "../lambda/support/lambda-environment.ts";
import { node24Binary } from "../lambda/support/node-binaries.ts";
import { apiGatewayEvent, functionUrlEvent } from "../lambda/support/payload-v2-events.ts";
import { invokeBundle, streamedText, type StreamedAnswer } from "../lambda/support/run-bundle.ts";

// /healthz through the real doors: `gatehouse serve` on its SQLite store, and the built Lambda
// bundle's two handlers on dynalite.

describe("gatehouse serve answers /healthz on its own port", () => {
  let dir: string;
  beforeAll(async () => {
    await mkdir(join(REPO, ".gatehouse"), { recursive: true });
    dir = await mkdtemp(join(REPO, ".gatehouse", "health-"));
    await writeFile(
      join(dir, "gateway.ts"),
      `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "healthserve", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } });\n`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("200 without a token, and the audit stays empty", async () => {
    const data = join(dir, "data");
    const serve = await startServe([join(dir, "gateway.ts"), "--data", data, "--port", "0"]);
    try {
      const res = await send(`${serve.base}/healthz`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"status":"ok"}');
      expect(res.headers["content-type"]).toBe("application/json");
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
    const audit = await runCli(["audit", "--gateway", "healthserve", "--data", data]);
    expect(audit.stderr).toBe("");
    expect(audit.code).toBe(0);
    expect(audit.stdout).toBe("no audit records match\n");
  }, 30_000);
});

describe("the Lambda bundle answers /healthz on both doors", () => {
  let dynalite: TestDynalite;
  let kms: FakeKmsServer;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    [dynalite, kms] = await Promise.all([startTestDynalite({ prefix: "health-lambda" }), startFakeKmsServer()]);
    const gateway = defineGateway({ name: "health-lambda", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } });
    dir = await mkdtemp(join(tmpdir(), "gatehouse-health-lambda-"));
    await writeLambdaArchive(join(dir, "bundle"), gateway);
    env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_STREAM_URL: "https://f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo.lambda-url.us-east-1.on.aws" });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([kms?.stop(), dir ? rm(dir, { recursive: true, force: true }) : undefined, dynalite?.stop()]);
  });

  it("the Function URL door: 200 while DynamoDB answers; the buffered handler the same", async () => {
    const stream = await invokeBundle<StreamedAnswer>(node24Binary(), join(dir, "bundle"), "streamHandler", [functionUrlEvent({ path: "/healthz" })], {
      ...env,
      GATEHOUSE_FRONT_DOOR: "stream",
    });
    expect(stream.results[0]!.prelude.statusCode).toBe(200);
    expect(stream.results[0]!.prelude.headers["content-type"]).toBe("application/json");
    expect(streamedText(stream.results[0]!)).toBe('{"status":"ok"}');
    const api = await invokeBundle<ApiGatewayV2Result>(node24Binary(), join(dir, "bundle"), "handler", [apiGatewayEvent({ path: "/healthz" })], {
      ...env,
      GATEHOUSE_FRONT_DOOR: "api",
    });
    expect(api.results[0]!.statusCode).toBe(200);
    expect(api.results[0]!.body).toBe('{"status":"ok"}');
  }, 60_000);

  it("503 problem+json when DynamoDB does not answer", async () => {
    const down = { ...env, AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" };
    const stream = await invokeBundle<StreamedAnswer>(node24Binary(), join(dir, "bundle"), "streamHandler", [functionUrlEvent({ path: "/healthz" })], {
      ...down,
      GATEHOUSE_FRONT_DOOR: "stream",
    });
    expect(stream.results[0]!.prelude.statusCode).toBe(503);
    expect(stream.results[0]!.prelude.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(streamedText(stream.results[0]!)).code).toBe("STORE_UNAVAILABLE");
  }, 60_000);
});
