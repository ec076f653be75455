import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/send.ts";
import { REPO, runCli, startDev, startServe, type ServeProcess } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

let dir: string;
let upstream: UpstreamStub;
let serve: ServeProcess;
let gatewayId: string;
let metricsUrl: string;

beforeAll(async () => {
  await mkdir(join(REPO, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(REPO, ".gatehouse", "metrics-"));
  // Echoes the injected key, so the gateway has a secret to mask in the response.
  upstream = await startUpstream((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ key: req.headers["x-key"] ?? null }));
  });
  const definition = join(dir, "gateway.ts");
  await writeFile(
    definition,
    `import { defineGateway, secret } from "gatehouse-gateway";
export default defineGateway({ name: "metered", endpoints: { api: { upstream: "${upstream.url}", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], rateLimit: { perMinute: 2 }, headers: { inject: { "x-key": secret("METRICS_TEST_KEY") } } } } });\n`,
  );
  serve = await startServe([definition, "--data", join(dir, "data"), "--port", "0", "--metrics", "127.0.0.1:0", "--unsafe-allow-private", "127.0.0.1/32"], {
    METRICS_TEST_KEY: "k-metrics-secret",
  });
  const started = serve.lines().find((l) => l.event === "serve.started");
  if (!started) throw new Error(`serve did not start: ${serve.stderr()}`);
  gatewayId = (started.gateways as Array<{ id: string }>)[0]!.id;
  metricsUrl = String(started.metrics);
});
afterAll(async () => {
  if (serve?.child.exitCode === null) serve.child.kill("SIGKILL");
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The samples of one scrape, by series (`name{labels}`). */
async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith("#")) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

describe("gatehouse serve --metrics", () => {
  it("serves Prometheus text on its own listener whose counters move as requests are made", { timeout: 60_000 }, async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(serve.base).port);
    const before = await scrape();
    expect(before.get('gatehouse_requests_total{gateway="metered",endpoint="api",status="200",decision="OK"}')).toBeUndefined();
    expect(before.get("process_cpu_user_seconds_total")).toBeGreaterThan(0);

    const created = await runCli(["token", "create", "--gateway", "metered", "--data", join(dir, "data"), "--json"]);
    expect(created.code).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    const url = `${serve.base}/api/${gatewayId}/proxy/api/x`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(url, { headers: { authorization: `Bearer ${token}` } })).status);
    statuses.push((await send(url)).status);
    expect(statuses).toEqual([200, 200, 429, 401]);
    // Never on the gateway's port.
    expect((await send(`${serve.base}/metrics`)).status).toBe(404);

    // A record is counted as it is written, when its response ends: wait for the fifth.
    let after = await scrape();
    const counted = (s: Map<string, number>) => [...s].filter(([k]) => k.startsWith("gatehouse_requests_total{")).reduce((n, [, v]) => n + v, 0);
    for (let i = 0; i < 100 && counted(after) < 5; i++) after = await scrape();
    expect(counted(after)).toBe(5);
    expect(after.get('gatehouse_requests_total{gateway="metered",endpoint="api",status="200",decision="OK"}')).toBe(2);
    expect(after.get('gatehouse_requests_total{gateway="metered",endpoint="api",status="429",decision="RATE_LIMITED"}')).toBe(1);
    expect(after.get('gatehouse_rate_limited_total{gateway="metered",endpoint="api"}')).toBe(1);
    expect(after.get('gatehouse_secret_scrubbed_total{gateway="metered",endpoint="api"}')).toBe(2);
    expect(after.get('gatehouse_upstream_duration_seconds_count{gateway="metered",endpoint="api"}')).toBe(2);
    expect(after.get('gatehouse_request_duration_seconds_count{gateway="metered",endpoint="api"}')).toBe(4);
    const refused = [...after].filter(
      ([k]) => k.startsWith('gatehouse_requests_total{gateway="metered",') && k.endsWith('status="401",decision="TOKEN_INVALID"}'),
    );
    expect(refused.map(([, v]) => v)).toEqual([1]);
    // The gateway's own 404 for /metrics is a request too.
    expect([...after].filter(([k]) => k.startsWith("gatehouse_requests_total{") && k.includes('status="404"')).map(([, v]) => v)).toEqual([1]);

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });

  it("is a usage error (exit 2) for a value that is not host:port, or the gateway's own port", async () => {
    const bad = await runCli(["serve", "gateway.ts", "--data", join(dir, "bad"), "--metrics", "9464"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("gatehouse serve: --metrics takes <host>:<port> (for example 127.0.0.1:9464), not '9464'");
    const same = await runCli(["serve", "gateway.ts", "--data", join(dir, "bad"), "--port", "9400", "--metrics", "127.0.0.1:9400"]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain("--metrics must be another port than the gateway's");
    // A gateway that cannot start (a missing secret) still exits: the metrics listener is closed.
    const failed = await runCli(["dev", "examples/quickstart/gateway.ts", "--memory", "--port", "0", "--metrics", "127.0.0.1:0"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("missing secret: QUICKSTART_DEMO_KEY");
  });
});

describe("gatehouse dev --metrics", () => {
  it("prints where the metrics are and serves them there", { timeout: 60_000 }, async () => {
    const dev = await startDev(["examples/quickstart/gateway.ts", "--memory", "--port", "0", "--metrics", "127.0.0.1:0"], {
      ...process.env,
      QUICKSTART_DEMO_KEY: "k-demo",
    });
    try {
      const url = /metrics \(Prometheus\): (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(dev.out())?.[1];
      expect(url, dev.out() + dev.err()).toBeDefined();
      const response = await fetch(url!);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("# TYPE gatehouse_requests_total counter");
      expect((await fetch(url!.replace("/metrics", "/other"))).status).toBe(404);
    } finally {
      dev.child.kill("SIGTERM");
    }
    expect(await dev.exited).toBe(0);
  });
});
