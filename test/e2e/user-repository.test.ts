import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatehouse, makeUserRepo, packTarball, pinnedVersion, run, startDev, userEnv, writeFiles } from "./support/user-repo.ts";

/*
 * The user's path, end to end: the package as npm would publish it (npm pack), installed into
 * fresh repositories made like `npm init -y` (CommonJS, npm's default) and switched to ES modules,
 * and every command run there the way a user runs it (the bin link npm made).
 */

const PAYMENTS = (methods: string) => `import { defineGateway, secret } from "gatehouse-gateway";
import { limits } from "./shared/limits.ts";

export default defineGateway({
  name: "payments",
  endpoints: {
    stripe: {
      upstream: "https://api.stripe.com/v1",
      methods: [${methods}],
      rateLimit: limits,
      headers: { forward: ["content-type"], inject: { "x-api-key": secret("STRIPE_KEY") } },
    },
  },
});
`;

const FILES = {
  "gateways/payments.ts": PAYMENTS(`"GET", "POST"`),
  "gateways/shared/limits.ts": "export const limits = { perMinute: 60, perHour: 1000 };\n",
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true },
      include: ["gateways"],
    },
    null,
    2,
  ),
  ".gitignore": "node_modules/\n.gatehouse/\n",
};

let work: string;
let tarball: string;
const repos: Record<string, string> = {};
let upstream: Server;
let upstreamUrl: string;
const seen: Array<{ url: string; key: string | undefined }> = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gatehouse-e2e-"));
  tarball = await packTarball(work);
  const extra = await Promise.all(["@pulumi/pulumi", "@pulumi/aws", "typescript"].map(async (name) => `${name}@${await pinnedVersion(name)}`));
  const [cjs, esm] = await Promise.all([makeUserRepo("commonjs", tarball, extra), makeUserRepo("module", tarball, extra)]);
  repos.commonjs = cjs;
  repos.module = esm;
  for (const dir of [cjs, esm]) await writeFiles(dir, FILES);
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? "", key: req.headers["x-api-key"] as string | undefined });
    res.setHeader("content-type", "application/json");
    res.end('{"object":"balance"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}, 420_000);

afterAll(async () => {
  upstream?.close();
  for (const dir of [work, ...Object.values(repos)]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the published package", () => {
  it("ships the built JavaScript, types, the CLI and the legal files, and nothing of our development", async () => {
    const listed = await run(work, "tar", ["tzf", tarball]);
    const files = listed.stdout
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "cli/bin.mjs",
      "cli/templates/init/Pulumi.yaml.tmpl",
      "dist/schema/index.js",
      "dist/schema/index.d.ts",
      "dist/infra/index.js",
      "dist/policy/index.js",
      "dist/cli/main.js",
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /^(test|bench|\.ci|examples|node_modules)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
  });

  it("installs no development tools for the user: no tsx, dynalite, oidc-provider or playwright", async () => {
    const lock = JSON.parse(await readFile(join(repos.commonjs!, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    const names = Object.keys(lock.packages);
    for (const dev of ["tsx", "dynalite", "oidc-provider", "playwright-core", "vitest", "node"]) expect(names).not.toContain(`node_modules/${dev}`);
  });
});

for (const type of ["commonjs", "module"] as const) {
  describe(`in a "type": "${type}" repository`, () => {
    const dir = () => repos[type]!;

    it("--version prints the package's version", async () => {
      const result = await gatehouse(dir(), ["--version"]);
      expect(result.stdout.trim()).toBe("gatehouse 0.1.0");
      expect(result.code).toBe(0);
    });

    it("validate loads the definition and its helper", async () => {
      const result = await gatehouse(dir(), ["validate", "gateways/payments.ts"]);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(/^✓ gateways\/payments\.ts: gateway 'payments' \(id [0-9a-f-]{36}, revision [0-9a-f]{12}\): 1 endpoint \[stripe\]/);
      expect(result.code).toBe(0);
    });

    it("plan --json lists the AWS resources", async () => {
      const result = await gatehouse(dir(), ["plan", "--json", "gateways/payments.ts"]);
      expect(result.code).toBe(0);
      const plan = JSON.parse(result.stdout) as { resources: Array<{ type: string; name: string }> };
      const types = plan.resources.map((r) => r.type);
      expect(types).toContain("aws:lambda/function:Function");
      expect(types.filter((t) => t === "aws:dynamodb/table:Table")).toHaveLength(4);
    }, 90_000);

    it("dev serves the definition: a token from another process, a proxied request, its audit record", async () => {
      const env = { STRIPE_KEY: "sk_test_e2e" };
      const dev = await startDev(dir(), ["gateways/payments.ts", "--port", "0", "--upstream", `stripe=${upstreamUrl}/v1`], env);
      try {
        const created = await gatehouse(dir(), ["token", "create", "--gateway", "payments", "--label", "e2e", "--json"]);
        expect(created.code).toBe(0);
        const { token } = JSON.parse(created.stdout) as { token: string };
        const gatewayId = /\/api\/([0-9a-f-]{36})\/proxy\/stripe\//.exec(dev.output())?.[1];
        expect(gatewayId).toMatch(/^[0-9a-f-]{36}$/);
        const response = await fetch(`${dev.base}/api/${gatewayId}/proxy/stripe/balance?x=1`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('{"object":"balance"}');
        expect(seen.at(-1)).toEqual({ url: "/v1/balance?x=1", key: "sk_test_e2e" });
        const audit = await gatehouse(dir(), ["audit", "--gateway", "payments", "--json"]);
        expect(audit.code).toBe(0);
        const records = JSON.parse(audit.stdout) as Array<{ endpoint: string; status: number; revision: string }>;
        expect(records.filter((r) => r.endpoint === "stripe" && r.status === 200)).toHaveLength(1);
        expect(records[0]!.revision).toMatch(/^[0-9a-f]{12}\+override$/);
      } finally {
        expect(await dev.stop()).toBe(0);
      }
    }, 90_000);

    it("diff --fail-on widening explains a pull request's change and exits 1", async () => {
      const git = (...args: string[]) =>
        run(dir(), "git", args, {
          env: userEnv({ GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" }),
        });
      await git("init", "-q", "-b", "main");
      await git("add", "-A");
      expect((await git("commit", "-qm", "base")).code).toBe(0);
      await writeFiles(dir(), { "gateways/payments.ts": PAYMENTS(`"GET", "POST", "DELETE"`) });
      await git("commit", "-qam", "allow DELETE");
      const result = await gatehouse(dir(), ["diff", "--base", "HEAD~1", "--head", "HEAD", "--fail-on", "widening"]);
      expect(result.stdout).toContain("DELETE is now allowed on `stripe`");
      expect(result.code).toBe(1);
    }, 60_000);

    it("tsc type-checks the definition under a plain strict tsconfig, and a typo fails it", async () => {
      const tsc = join(dir(), "node_modules", "typescript", "bin", "tsc");
      const clean = await run(dir(), process.execPath, [tsc, "-p", "."]);
      expect(clean.stdout + clean.stderr).toBe("");
      expect(clean.code).toBe(0);
      await writeFiles(dir(), {
        "gateways/typo.ts": `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "t", endpoints: { a: { upstream: "https://a.example", methods: ["PSOT"], timeoutSecond: 5 } } });\n`,
      });
      const typo = await run(dir(), process.execPath, [tsc, "-p", "."]);
      expect(typo.stdout).toMatch(/gateways\/typo\.ts\(2,\d+\): error TS2322: Type '"PSOT"' is not assignable/);
      expect(typo.code).toBe(2);
      await rm(join(dir(), "gateways", "typo.ts"));
    }, 60_000);

    it("init scaffolds a repository whose example validates", async () => {
      const result = await gatehouse(dir(), ["init", "scaffold"]);
      expect(result.code).toBe(0);
      // The scaffold has no node_modules of its own: its definition resolves the package from this repository's install.
      const validate = await gatehouse(dir(), ["validate", "scaffold/gateways/example.ts"]);
      expect(validate.stdout).toMatch(/^✓ scaffold\/gateways\/example\.ts: gateway '/);
      expect(validate.code).toBe(0);
    }, 60_000);
  });
}
