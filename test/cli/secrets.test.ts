import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";
import { startDev } from "../helpers/serve-process.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let upstream: UpstreamStub;

beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true }); // git-ignored; absent in a fresh clone
  dir = await mkdtemp(join(repo, ".gatehouse", "secrets-"));
  upstream = await startUpstream((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ key: req.headers["x-key"] ?? null }));
  });
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

const io = (stdin?: string) => ({ ...recordingIo(repo), ...(stdin !== undefined ? { stdin: async () => stdin } : {}) });

describe("gatehouse secrets", () => {
  it("stores a value sealed (mode 0600, no plaintext on disk), lists names, removes", async () => {
    const data = join(dir, "store-a");
    const set = io("sk_test_value_123\n");
    expect(await main(["secrets", "set", "STRIPE_KEY", "--data", data], set)).toBe(0);
    expect(set.stdout()).toContain("stored STRIPE_KEY");
    const file = await readFile(join(data, "secrets.json"), "utf8");
    expect(file).toContain('"STRIPE_KEY"');
    expect(file).not.toContain("sk_test_value_123");
    expect((await stat(join(data, "secrets.json"))).mode & 0o777).toBe(0o600);
    const list = io();
    expect(await main(["secrets", "list", "--data", data], list)).toBe(0);
    expect(list.stdout()).toBe("STRIPE_KEY");
    expect(list.stdout()).not.toContain("sk_test");
    expect(await main(["secrets", "remove", "STRIPE_KEY", "--data", data], io())).toBe(0);
    expect(await main(["secrets", "remove", "STRIPE_KEY", "--data", data], io())).toBe(1);
  });

  it("refuses bad names and empty values with exit 2", async () => {
    const data = join(dir, "store-b");
    expect(await main(["secrets", "set", "lower_case", "--data", data], io("x"))).toBe(2);
    expect(await main(["secrets", "set", "GOOD", "--data", data], io("\n"))).toBe(2);
    expect(await main(["secrets", "frobnicate", "--data", data], io())).toBe(2);
  });

  it("is what `gatehouse dev` injects when the environment does not set the name", async () => {
    const data = join(dir, "store-c");
    expect(await main(["secrets", "set", "STORED_KEY", "--data", data], io("k-from-store"))).toBe(0);
    const definition = join(dir, "stored.ts");
    await writeFile(
      definition,
      `import { defineGateway, secret } from "gatehouse-gateway";
export default defineGateway({ name: "stored", endpoints: { api: { upstream: "${upstream.url}", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { inject: { "x-key": secret("STORED_KEY") } } } } });\n`,
    );
    const env = { ...process.env };
    delete env.STORED_KEY;
    const dev = await startDev([definition, "--port", "0", "--data", data], env, /get a token/);
    try {
      expect(dev.err()).not.toContain("missing secret");
      const endpoint = /api\s+(http:\/\/127\.0\.0\.1:\d+\/api\/[0-9a-f-]+\/proxy\/api\/)/.exec(dev.out())![1]!;
      const created = io();
      expect(await main(["token", "create", "--gateway", "stored", "--data", data, "--json"], created)).toBe(0);
      const token = JSON.parse(created.stdout()).token as string;
      const r = await send(endpoint, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      // The upstream got the stored key; its echo reaches the client masked (issue 15 item 2).
      expect(upstream.seen.at(-1)!.headers["x-key"]).toBe("k-from-store");
      expect(r.json()).toEqual({ key: "************" });
    } finally {
      dev.child.kill("SIGTERM");
      await dev.exited;
    }
  });
});
