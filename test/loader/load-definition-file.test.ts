import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitionFile } from "../../loader/load-definition-file.ts";

// Repositories as users make them, outside this checkout: `gatehouse-gateway` is linked into
// their node_modules (the built package, dist/; the tarball install is test/e2e/), so every
// import below resolves from the user's repository, never from ours.
const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function makeRepo(type: "commonjs" | "module", files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `gatehouse-loader-${type}-`));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "infra", version: "1.0.0", type }));
  await mkdir(join(dir, "node_modules"), { recursive: true });
  await symlink(PACKAGE_ROOT, join(dir, "node_modules", "gatehouse-gateway"), "dir");
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const endpoint = `{ upstream: "https://api.example.com/v1", methods: ["GET"] }`;
const esmDefinition = (name: string) =>
  `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "${name}", endpoints: { api: ${endpoint} } });\n`;

describe("loading definitions in the user's repository", () => {
  const repos: string[] = [];
  let cjs: string;
  let esm: string;
  beforeAll(async () => {
    const shared = {
      "gateways/shared/limits.ts": `export const limits = { perMinute: 60, perHour: 1000 } as const;\n`,
      "gateways/shared/upstreams.cjs": `module.exports = { billing: "https://billing.example.com/v2" };\n`,
      "gateways/with-helpers.ts": [
        `import { defineGateway, secret } from "gatehouse-gateway";`,
        `import { limits } from "./shared/limits.ts";`,
        `import upstreams from "./shared/upstreams.cjs";`,
        `export default defineGateway({ name: "helpers", endpoints: { billing: { upstream: upstreams.billing, methods: ["GET"], rateLimit: limits,`,
        `  headers: { inject: { "x-key": secret("BILLING_KEY") } } } } });`,
        ``,
      ].join("\n"),
      "gateways/plain.ts": esmDefinition("plain-ts"),
      "gateways/plain.mts": esmDefinition("plain-mts"),
      "gateways/plain.mjs": esmDefinition("plain-mjs"),
      "gateways/required.cts": `const { defineGateway } = require("gatehouse-gateway");\nmodule.exports = defineGateway({ name: "required-cts", endpoints: { api: ${endpoint} } });\n`,
      "gateways/required.cjs": `const { defineGateway } = require("gatehouse-gateway");\nmodule.exports = defineGateway({ name: "required-cjs", endpoints: { api: ${endpoint} } });\n`,
      "gateways/compiled.cts": `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.default = { name: "compiled-cts", endpoints: { api: ${endpoint} } };\n`,
      "gateways/where.mts": `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "where", description: import.meta.url, endpoints: { api: ${endpoint} } });\n`,
    };
    cjs = await makeRepo("commonjs", {
      ...shared,
      "gateways/plain.js": `const { defineGateway } = require("gatehouse-gateway");\nmodule.exports = defineGateway({ name: "plain-js", endpoints: { api: ${endpoint} } });\n`,
    });
    esm = await makeRepo("module", { ...shared, "gateways/plain.js": esmDefinition("plain-js") });
    repos.push(cjs, esm);
  });
  afterAll(async () => {
    for (const dir of repos) await rm(dir, { recursive: true, force: true });
  });

  for (const type of ["commonjs", "module"] as const) {
    describe(`a "type": "${type}" repository`, () => {
      const repo = () => (type === "commonjs" ? cjs : esm);

      it.each([
        ["gateways/plain.ts", "plain-ts"],
        ["gateways/plain.mts", "plain-mts"],
        ["gateways/plain.mjs", "plain-mjs"],
        ["gateways/plain.js", "plain-js"],
        ["gateways/required.cts", "required-cts"],
        ["gateways/required.cjs", "required-cjs"],
        ["gateways/compiled.cts", "compiled-cts"],
      ])("loads %s", async (file, name) => {
        const loaded = await loadDefinitionFile(file, repo());
        expect(loaded).toMatchObject({ ok: true, file });
        if (!loaded.ok) return;
        expect(loaded.gateways.map((g) => [g.name, Object.keys(g.endpoints)])).toEqual([[name, ["api"]]]);
      });

      it("follows relative imports of TypeScript and CommonJS helpers", async () => {
        const loaded = await loadDefinitionFile("gateways/with-helpers.ts", repo());
        expect(loaded.ok).toBe(true);
        if (!loaded.ok) return;
        const billing = loaded.gateways[0]!.endpoints.billing!;
        expect(billing.upstream).toBe("https://billing.example.com/v2");
        expect(billing.rateLimit).toEqual({ perMinute: 60, perHour: 1000 });
        expect(billing.headers.inject["x-key"]).toEqual({ kind: "secret", name: "BILLING_KEY" });
        // What `dev --watch` watches: the file and its local imports, as absolute paths; packages are not among them.
        expect([...loaded.inputs].sort()).toEqual(
          ["gateways/shared/limits.ts", "gateways/shared/upstreams.cjs", "gateways/with-helpers.ts"].map((f) => join(repo(), f)).sort(),
        );
      });

      it("gives import.meta.url as the definition file's own URL", async () => {
        const loaded = await loadDefinitionFile("gateways/where.mts", repo());
        expect(loaded.ok && loaded.gateways[0]!.description).toBe(`file://${join(repo(), "gateways/where.mts")}`);
      });
    });
  }

  it("shares one defineGateway with the CLI: the definition's gateway carries this copy's validation mark", async () => {
    const { isValidatedGateway } = await import(join(PACKAGE_ROOT, "dist/schema/index.js"));
    const loaded = await loadDefinitionFile("gateways/plain.ts", cjs);
    expect(loaded.ok && isValidatedGateway(loaded.gateways[0])).toBe(true);
  });
});

describe("a definition that does not load says why, in words a user can act on", () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo("commonjs", {
      "gateways/needs-package.ts": `import { something } from "not-installed-anywhere";\nexport default something;\n`,
      "gateways/broken-helper.ts": `import { x } from "./helpers/broken.ts";\nexport default x;\n`,
      "gateways/helpers/broken.ts": `export const x = {;\n`,
      "gateways/throws.ts": `throw new Error("STRIPE_ACCOUNT is not set\\nsecond line");\n`,
      "gateways/bad-field.ts": `import { defineGateway } from "gatehouse-gateway";\nexport default defineGateway({ name: "bad", endpoints: { api: { upstream: "https://a.example", methods: ["GET"], timeoutSecond: 5 } } } as never);\n`,
      "gateways/README.md": "# not a definition\n",
    });
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it.each([
    [
      "gateways/needs-package.ts",
      "line 1",
      "cannot find the package 'not-installed-anywhere' from this file; install it in this repository (npm install not-installed-anywhere)",
    ],
    ["gateways/broken-helper.ts", "helpers/broken.ts line 1", 'Expected identifier but found ";"'],
    ["gateways/throws.ts", "", "the file threw while loading: STRIPE_ACCOUNT is not set"],
    ["gateways/bad-field.ts", "endpoints.api.timeoutSecond", "unknown field 'timeoutSecond' (check its spelling; unknown fields are never ignored)"],
    ["gateways/README.md", "", "a definition file ends in .ts, .mts, .cts, .js, .mjs, .cjs; got '.md'"],
    ["gateways", "", "is not a file; name a definition file such as gateways/example.ts"],
  ])("%s", async (file, path, message) => {
    const loaded = await loadDefinitionFile(file, repo);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues).toHaveLength(1);
    expect(loaded.issues[0]!.path).toBe(path);
    expect(loaded.issues[0]!.message).toContain(message);
    expect(loaded.issues[0]!.message).not.toMatch(/\n|\s+at\s/);
  });

  it("a missing file is marked missing (the CLI exits 2 for it)", async () => {
    const loaded = await loadDefinitionFile("gateways/nope.ts", repo);
    expect(loaded).toEqual({
      file: "gateways/nope.ts",
      ok: false,
      missing: true,
      issues: [{ path: "", message: `no such file: ${join(repo, "gateways/nope.ts")}` }],
    });
  });
});
