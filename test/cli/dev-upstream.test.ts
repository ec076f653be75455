import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { send } from "../helpers/send.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";
import { startDev } from "../helpers/serve-process.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let fake: UpstreamStub;

// Definition files live inside the repository so `import "gatehouse-gateway"` resolves as in a user's project.
beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(repo, ".gatehouse", "dev-upstream-"));
  fake = await startUpstream(async (req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ fake: true, path: req.url, key: req.headers["x-key"] ?? null }));
  });
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** A reviewed definition: public upstreams only, as it is committed. */
async function definition(name: string, source: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `import { defineGateway, secret } from "gatehouse-gateway";\n${source}\n`);
  return file;
}

async function run(...argv: string[]) {
  const io = recordingIo(repo);
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("gatehouse dev --upstream", () => {
  it("sends the endpoint to a loopback fake for this run only; the audit keeps the committed revision marked +override", async () => {
    const file = await definition(
      "pay.ts",
      `export default defineGateway({ name: "pay", endpoints: {
  stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET"], headers: { inject: { "x-key": secret("UPSTREAM_TEST_KEY") } } },
  other: { upstream: "https://api.example.com", methods: ["GET"] },
} });`,
    );
    const before = await readFile(file, "utf8");
    const data = join(dir, "data");
    const validated = await run("validate", file, "--json");
    const committed = (JSON.parse(validated.out) as { files: Array<{ gateways: Array<{ revision: string }> }> }).files[0]!.gateways[0]!.revision;
    expect(committed).toMatch(/^[0-9a-f]{12}$/);
    const dev = await startDev([file, "--port", "0", "--data", data, "--upstream", `stripe=${fake.url}/v1`], { ...process.env, UPSTREAM_TEST_KEY: "k-fake" });
    try {
      expect(dev.err()).toContain(
        `⚠ UPSTREAM OVERRIDE pay/stripe: https://api.stripe.com/v1 -> ${fake.url}/v1 for this run only (the definition is unchanged; loopback and private networks allowed for this endpoint; audit revision ends in +override)`,
      );
      expect(dev.err()).not.toContain("pay/other");
      expect(dev.out()).toContain(`gateway 'pay' (id `);
      expect(dev.out()).toContain(`revision ${committed}+override)`);
      expect(dev.out()).toMatch(new RegExp(`stripe\\s+http://127\\.0\\.0\\.1:\\d+/api/[0-9a-f-]+/proxy/stripe/  -> ${fake.url.replace(/[.]/g, "\\.")}/v1`));
      const endpoint = /stripe\s+(http:\/\/127\.0\.0\.1:\d+\/api\/[0-9a-f-]+\/proxy\/stripe\/)/.exec(dev.out())![1]!;
      // dev recorded the gateway in the data folder: the token command finds it by name.
      const token = await run("token", "create", "--gateway", "pay", "--data", data, "--json");
      expect(token.code).toBe(0);
      const secretToken = (JSON.parse(token.out) as { token: string }).token;

      const seenBefore = fake.seen.length;
      const answer = await send(`${endpoint}customers?limit=3`, { headers: { authorization: `Bearer ${secretToken}` } });
      expect(answer.status).toBe(200);
      // The fake got the key; its echo reaches the client masked (issue 15 item 2).
      expect(fake.seen.at(-1)!.headers["x-key"]).toBe("k-fake");
      expect(answer.json()).toEqual({ fake: true, path: "/v1/customers?limit=3", key: "******" });
      expect(fake.seen.length).toBe(seenBefore + 1);
    } finally {
      dev.child.kill("SIGTERM");
    }
    expect(await dev.exited).toBe(0);
    expect(await readFile(file, "utf8")).toBe(before);

    const audit = await run("audit", "--gateway", "pay", "--data", data, "--json");
    expect(audit.code).toBe(0);
    const records = JSON.parse(audit.out) as Array<{ endpoint: string; status: number; revision: string }>;
    expect(records.map((r) => [r.endpoint, r.status, r.revision])).toEqual([["stripe", 200, `${committed}+override`]]);
  });

  it("is an error (exit 2) for an unknown slug, listing the known ones", async () => {
    const file = await definition(
      "two.ts",
      `export default defineGateway({ name: "two", endpoints: { alpha: { upstream: "https://a.example.com", methods: ["GET"] }, beta: { upstream: "https://b.example.com", methods: ["GET"] } } });`,
    );
    const r = await run("dev", file, "--memory", "--upstream", "gamma=http://127.0.0.1:9");
    expect(r.code).toBe(2);
    expect(r.err).toContain("gatehouse dev: --upstream gamma: no endpoint 'gamma'; endpoints: alpha, beta\nusage: gatehouse dev");
  });

  it("is an error (exit 2) without '=' or with an unusable URL", async () => {
    const file = await definition(
      "one.ts",
      `export default defineGateway({ name: "one", endpoints: { alpha: { upstream: "https://a.example.com", methods: ["GET"] } } });`,
    );
    const malformed = await run("dev", file, "--memory", "--upstream", "alpha");
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain("gatehouse dev: --upstream 'alpha' must look like <slug>=<url> or <gateway>/<slug>=<url>");
    const relative = await run("dev", file, "--memory", "--upstream", "alpha=127.0.0.1:4010");
    expect(relative.code).toBe(2);
    expect(relative.err).toContain(
      "gatehouse dev: --upstream alpha=127.0.0.1:4010: '127.0.0.1:4010' is not an absolute URL; write it like https://api.example.com/v1",
    );
  });

  it("never allows a cloud metadata address, even explicitly (exit 2)", async () => {
    const file = await definition(
      "meta.ts",
      `export default defineGateway({ name: "meta", endpoints: { alpha: { upstream: "https://a.example.com", methods: ["GET"] } } });`,
    );
    const r = await run("dev", file, "--memory", "--upstream", "alpha=http://169.254.169.254/latest");
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "gatehouse dev: --upstream alpha=http://169.254.169.254/latest: 169.254.169.254 is in 169.254.0.0/16: link-local (cloud instance metadata, ECS, EKS, VPC DNS, time sync); it is instance metadata, DNS and time sync (AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner, IBM) (SSRF rule ipv4:link-local); an override may point at loopback or a private network, never at a cloud metadata address",
    );
    const named = await run("dev", file, "--memory", "--upstream", "alpha=http://metadata.google.internal/");
    expect(named.code).toBe(2);
    expect(named.err).toContain("'metadata.google.internal' is a cloud metadata service name; it can never be an upstream");
  });

  it("asks for <gateway>/<slug> when a slug is in several gateways, and names unknown gateways", async () => {
    const file = await definition(
      "many.ts",
      `export default [
  defineGateway({ name: "first", endpoints: { api: { upstream: "https://a.example.com", methods: ["GET"] } } }),
  defineGateway({ name: "second", endpoints: { api: { upstream: "https://b.example.com", methods: ["GET"] }, extra: { upstream: "https://c.example.com", methods: ["GET"] } } }),
];`,
    );
    const ambiguous = await run("dev", file, "--memory", "--upstream", "api=http://127.0.0.1:9");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain("gatehouse dev: --upstream api: endpoint 'api' is in several gateways; say which: first/api=<url> or second/api=<url>");
    const unknownSlug = await run("dev", file, "--memory", "--upstream", "nope=http://127.0.0.1:9");
    expect(unknownSlug.err).toContain("--upstream nope: no endpoint 'nope'; endpoints: first/api, second/api, second/extra");
    const unknownGateway = await run("dev", file, "--memory", "--upstream", "third/api=http://127.0.0.1:9");
    expect(unknownGateway.code).toBe(2);
    expect(unknownGateway.err).toContain("gatehouse dev: --upstream third/api: no gateway 'third'; gateways: first, second");
    const wrongSlug = await run("dev", file, "--memory", "--upstream", "first/extra=http://127.0.0.1:9");
    expect(wrongSlug.code).toBe(2);
    expect(wrongSlug.err).toContain("gatehouse dev: --upstream first/extra: gateway 'first' has no endpoint 'extra'; endpoints: api");
  });
});
