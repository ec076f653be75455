import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway } from "../../schema/index.ts";
import { send } from "../helpers/send.ts";
import { REPO, runCli, startServe } from "../helpers/serve-process.ts";
import { startBundleFixture, type BundleFixture } from "../lambda/support/bundle-fixture.ts";
import { apiGatewayEvent, functionUrlEvent } from "../lambda/support/payload-v2-events.ts";
import { streamedText } from "../lambda/support/run-bundle.ts";

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
  let bundle: BundleFixture;
  beforeAll(async () => {
    bundle = await startBundleFixture(
      "health-lambda",
      defineGateway({ name: "health-lambda", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } }),
    );
  }, 60_000);
  afterAll(() => bundle?.stop());

  it("the Function URL door: 200 while DynamoDB answers; the buffered handler the same", async () => {
    const [stream] = await bundle.stream([functionUrlEvent({ path: "/healthz" })]);
    expect(stream!.prelude.statusCode).toBe(200);
    expect(stream!.prelude.headers["content-type"]).toBe("application/json");
    expect(streamedText(stream!)).toBe('{"status":"ok"}');
    const [api] = await bundle.api([apiGatewayEvent({ path: "/healthz" })]);
    expect(api!.statusCode).toBe(200);
    expect(api!.body).toBe('{"status":"ok"}');
  }, 60_000);

  it("503 problem+json when DynamoDB does not answer", async () => {
    const [stream] = await bundle.stream([functionUrlEvent({ path: "/healthz" })], { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" });
    expect(stream!.prelude.statusCode).toBe(503);
    expect(stream!.prelude.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(streamedText(stream!)).code).toBe("STORE_UNAVAILABLE");
  }, 60_000);
});
