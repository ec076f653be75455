import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/send.ts";
import { startDev as startDevProcess } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let upstream: UpstreamStub;
/** Resolves when the upstream has the slow request (so it is in flight at the gateway). */
let slowArrived: () => void = () => {};

beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true }); // git-ignored; absent in a fresh clone
  dir = await mkdtemp(join(repo, ".gatehouse", "dev-"));
  upstream = await startUpstream(async (req, res) => {
    if (req.url?.includes("slow")) {
      slowArrived();
      await new Promise((r) => setTimeout(r, 800));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ key: req.headers["x-key"] ?? null }));
  });
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts `gatehouse dev` with these variables added to the environment. */
const startDev = (args: string[], env: Record<string, string> = {}) => startDevProcess(args, { ...process.env, ...env });

describe("gatehouse dev", () => {
  it("refuses to start when a secret is missing, naming it", async () => {
    const file = join(dir, "secret.ts");
    await writeFile(
      file,
      `import { defineGateway, secret } from "gatehouse-gateway";
export default defineGateway({ name: "s", endpoints: { a: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject: { "x-key": secret("DEV_TEST_MISSING_KEY") } } } } });\n`,
    );
    const dev = await startDev([file, "--memory", "--port", "0"]);
    expect(await dev.exited).toBe(1);
    expect(dev.err()).toContain("missing secret: DEV_TEST_MISSING_KEY (gateway s)");
    expect(dev.err()).not.toMatch(/\n\s+at /);
  });

  it("serves, injects the secret, prints a dev token, and drains in-flight requests on SIGTERM", async () => {
    const file = join(dir, "ok.ts");
    await writeFile(
      file,
      `import { defineGateway, secret } from "gatehouse-gateway";
export default defineGateway({ name: "devtest", endpoints: { api: { upstream: "${upstream.url}/v1", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { inject: { "x-key": secret("DEV_TEST_KEY") } } } } });\n`,
    );
    const dev = await startDev([file, "--memory", "--port", "0", "--data", join(dir, "data")], { DEV_TEST_KEY: "k-dev" });
    const out = dev.out();
    expect(dev.err()).toContain("⚠ devtest/api may reach private network 127.0.0.1/32 (unsafeAllowPrivateNetworks)");
    const token = /dev token \(tok_\w+, all endpoints, shown once\): (gatehouse_\w+)/.exec(out)![1]!;
    const endpoint = /api\s+(http:\/\/127\.0\.0\.1:\d+\/api\/[0-9a-f-]+\/proxy\/api\/)/.exec(out)![1]!;
    const ok = await send(`${endpoint}x`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    // The upstream got the key; its echo reaches the client masked (issue 15 item 2).
    expect(upstream.seen.some((s) => s.headers["x-key"] === "k-dev")).toBe(true);
    expect(ok.json()).toEqual({ key: "*****" });
    for (let i = 0; i < 100 && !/ 200 \d+ms req_/.test(dev.out()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(dev.out()).toMatch(/127\.0\.0\.1 GET \/api\/[0-9a-f-]+\/proxy\/api\/x 200 \d+ms req_[0-9a-f]{32}/);

    // A slow request in flight, then SIGTERM: it still completes; the server then stops.
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const inFlight = new Promise<number>((resolve, reject) => {
      httpRequest(`${endpoint}slow`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
        .on("error", reject)
        .end();
    });
    await arrived;
    dev.child.kill("SIGTERM");
    expect(await inFlight).toBe(200);
    expect(await dev.exited).toBe(0);
    expect(dev.out()).toContain("SIGTERM: finishing in-flight requests, refusing new ones...");
    expect(dev.out()).toContain("stopped.");
    // --memory writes nothing to disk, not even the keyring.
    await expect(stat(join(dir, "data", "keyring.key"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("rejects a malformed --unsafe-allow-private with exit 2", async () => {
    const dev = await startDev(["examples/quickstart/gateway.ts", "--memory", "--unsafe-allow-private", "169.254.169.254/32"]);
    expect(await dev.exited).toBe(2);
    expect(dev.err()).toContain("--unsafe-allow-private 169.254.169.254/32:");
  });
});
