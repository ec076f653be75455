import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

// Definition files live inside the repo (git-ignored .gatehouse/) so `import "gatehouse-gateway"`
// resolves exactly as it does in a user's project.
beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true }); // git-ignored; absent in a fresh clone
  dir = await mkdtemp(join(repo, ".gatehouse", "validate-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, source: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, source);
  return path;
}

describe("gatehouse validate", () => {
  it("accepts every bundled example (exit 0) with one summary line each", async () => {
    const io = recordingIo(repo);
    const code = await main(["validate", "examples/quickstart/gateway.ts", "examples/github-oauth/gateway.ts", "examples/shared-api-key/gateway.ts"], io);
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(
      /✓ examples\/quickstart\/gateway.ts: gateway 'quickstart' \(id [0-9a-f-]{36}, revision [0-9a-f]{12}\): 2 endpoints \[echo, httpbin\]/,
    );
    expect(io.stdout()).toContain("! endpoint 'echo' may reach private network 127.0.0.1/32 (unsafeAllowPrivateNetworks)");
    expect(io.stdout()).toContain("gateway 'payments'");
  });

  it("reports every mistake of someone else's file with file, path and message, exit 1", async () => {
    const path = await file(
      "several.ts",
      `import { defineGateway, secret } from "gatehouse-gateway";
export default defineGateway({
  name: "billing",
  endpoints: {
    stripe: { upstream: "https://api.stripe.com/v1", methods: ["GET", "FETCH"], timeoutSeconds: 0,
              headers: { forward: ["Authorization"], inject: { authorization: "sk_live_123" } },
              rateLimit: { perMinute: 100, perHour: 50 } },
    github: { upstream: "http://169.254.169.254/", methods: ["GET"], connection: "gh", retries: 3 },
  },
} as never);
`,
    );
    const io = recordingIo(repo);
    expect(await main(["validate", path], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain(`✗ ${path}: 8 problems`);
    for (const line of [
      `${path}: endpoints.stripe.methods[1]: 'FETCH' is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`,
      `${path}: endpoints.stripe.timeoutSeconds: timeoutSeconds must be between 1 and 300`,
      `${path}: endpoints.stripe.headers.forward[0]: 'Authorization' can never be forwarded: the client's Authorization carries its Gatehouse token and stops at the gateway`,
      `${path}: endpoints.stripe.headers.inject.authorization: authorization must be injected from a secret: use secret("NAME", { prefix: "Bearer " }) or basicAuth(secret("USER"), secret("PASS")), never a literal value`,
      `${path}: endpoints.stripe.rateLimit.perMinute: perMinute (100) is above perHour (50); the hour cap would make it unreachable`,
      `${path}: endpoints.github.retries: unknown field 'retries' (check its spelling; unknown fields are never ignored)`,
      `${path}: endpoints.github.connection: unknown connection 'gh'; this gateway defines no connections`,
    ]) {
      expect(out).toContain(line);
    }
    expect(out).toMatch(/endpoints\.github\.upstream: 169\.254\.169\.254 is in 169\.254\.0\.0\/16.*\(SSRF rule ipv4:link-local\)/);
  });

  it("catches a duplicated endpoint slug, which JavaScript would silently drop", async () => {
    const path = await file(
      "duplicate.ts",
      `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({
  name: "dup",
  endpoints: {
    api: { upstream: "https://a.example.com", methods: ["GET"] },
    api: { upstream: "https://b.example.com", methods: ["GET"] },
  },
});
`,
    );
    const io = recordingIo(repo);
    expect(await main(["validate", path], io)).toBe(1);
    expect(io.stdout()).toContain(`${path}: line 6: Duplicate key "api" in object literal: the later one silently replaces the earlier`);
  });

  it("prints machine-readable results with --json", async () => {
    const bad = await file("bad.ts", `export default { name: "x", endpoints: { a: { upstream: "https://a.example", methods: [] } } };\n`);
    const io = recordingIo(repo);
    expect(await main(["validate", "--json", "examples/quickstart/gateway.ts", bad], io)).toBe(1);
    const parsed = JSON.parse(io.stdout());
    expect(parsed.files[0]).toMatchObject({
      file: "examples/quickstart/gateway.ts",
      ok: true,
      gateways: [{ name: "quickstart", endpoints: ["echo", "httpbin"] }],
    });
    expect(parsed.files[1]).toEqual({ file: bad, ok: false, issues: [{ path: "endpoints.a.methods", message: "methods must name at least one method" }] });
  });

  it("says what is wrong with files that do not load, without a stack trace", async () => {
    const syntax = await file("syntax.ts", "export default defineGateway({ name: ");
    const empty = await file("empty.ts", "export const x = 1;\n");
    const io = recordingIo(repo);
    expect(await main(["validate", syntax, empty], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain(`${syntax}: line 1: Unexpected end of file`);
    expect(out).toContain(`${empty}: (file): the file has no default export; write \`export default defineGateway({...})\``);
    expect(out).not.toMatch(/\n\s+at /);
    // A file that is not there is a usage error (exit 2), found before anything loads.
    const missing = recordingIo(repo);
    expect(await main(["validate", syntax, join(dir, "missing.ts")], missing)).toBe(2);
    expect(missing.stderr()).toContain(`gatehouse validate: no such file: ${join(dir, "missing.ts")}\nusage: gatehouse validate`);
    expect(missing.stdout()).toBe("");
  });

  it("--resolve checks what each upstream's name resolves to (answers pinned: no DNS query leaves the machine)", async () => {
    const path = await file(
      "resolve.ts",
      `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({
  name: "resolving",
  endpoints: {
    public: { upstream: "https://api.partner.test/v1", methods: ["GET"] },
    rebound: { upstream: "https://evil.partner.test", methods: ["GET"] },
    internal: { upstream: "http://svc.corp.test:8080", methods: ["GET"], unsafeAllowPrivateNetworks: ["10.1.0.0/16"] },
  },
});
`,
    );
    const pins = [
      "--resolve-host",
      "api.partner.test:140.82.112.6",
      "--resolve-host",
      "evil.partner.test:140.82.112.7,169.254.169.254",
      "--resolve-host",
      "svc.corp.test:10.1.2.3",
    ];
    const io = recordingIo(repo);
    expect(await main(["validate", path, "--resolve", ...pins], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain("resolved public: api.partner.test -> 140.82.112.6");
    expect(out).toContain("resolved internal: svc.corp.test -> 10.1.2.3");
    expect(out).toMatch(
      new RegExp(
        `✗ ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: endpoints\\.rebound\\.upstream: evil\\.partner\\.test is refused when resolved: .*\\(SSRF rule dns->ipv4:link-local\\)`,
      ),
    );

    const json = recordingIo(repo);
    await main(["validate", path, "--json", "--resolve", ...pins], json);
    const resolution = JSON.parse(json.stdout()).files[0].gateways[0].resolution;
    expect(resolution[0]).toEqual({ endpoint: "public", host: "api.partner.test", allowed: true, addresses: ["140.82.112.6"] });
    expect(resolution[1]).toMatchObject({ endpoint: "rebound", allowed: false, rule: "dns->ipv4:link-local" });

    // Without the bad answer every upstream passes: exit 0.
    const clean = recordingIo(repo);
    expect(await main(["validate", path, "--resolve", ...pins.slice(0, 2), "--resolve-host", "evil.partner.test:140.82.112.7", ...pins.slice(4)], clean)).toBe(
      0,
    );
  });

  it("exits 2 on a usage error", async () => {
    const io = recordingIo(repo);
    expect(await main(["validate"], io)).toBe(2);
    expect(io.stderr()).toContain("gatehouse validate: name at least one definition file");
    expect(await main(["validate", "--nope", "x.ts"], recordingIo(repo))).toBe(2);
    expect(await main(["no-such-command"], recordingIo(repo))).toBe(2);
    expect(await main(["validate", "x.ts", "--resolve-host", "a:1.2.3.4"], recordingIo(repo))).toBe(2);
  });
});
