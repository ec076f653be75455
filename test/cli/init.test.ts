import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const own = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const pinned = (pkg: string) => own.devDependencies[pkg] ?? own.dependencies[pkg] ?? own.peerDependencies?.[pkg];
let dir: string;

const EVERY_FILE = [
  ".github/workflows/gatehouse.yml",
  ".gitignore",
  "Pulumi.yaml",
  "gateways/README.md",
  "gateways/example.ts",
  "index.ts",
  "package.json",
  "policy/PulumiPolicy.yaml",
  "policy/index.ts",
  "policy/package.json",
  "tsconfig.json",
];

// Inside the repository (git-ignored .gatehouse/), so the scaffold's `import "gatehouse-gateway"`
// resolves to this checkout as it would to the installed package.
beforeAll(async () => {
  await mkdir(join(repo, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(repo, ".gatehouse", "init-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function run(cwd: string, ...argv: string[]) {
  const io = recordingIo(cwd);
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(root, path).split("\\").join("/"));
    }
  };
  await walk(root);
  return out.sort();
}

describe("gatehouse init", () => {
  let target: string;
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    target = join(dir, "My Infra");
    result = await run(dir, "init", "My Infra");
  });

  it("writes every file of the repository and lists them, exit 0", async () => {
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    expect(await listFiles(target)).toEqual(EVERY_FILE);
    for (const file of EVERY_FILE) expect(result.out).toContain(`  created  ${file}\n`);
    expect(result.out).not.toContain("skipped");
    expect(result.out).toContain("Next steps:\n  cd My Infra\n  npm install && npm install --prefix policy");
    expect(result.out).toContain("npx gatehouse dev gateways/example.ts");
  });

  it("package.json depends on gatehouse-gateway at our version and on the Pulumi packages we test with", async () => {
    const pkg = JSON.parse(await readFile(join(target, "package.json"), "utf8"));
    expect(pkg.name).toBe("my-infra");
    expect(pkg.type).toBe("module");
    expect(pkg.private).toBe(true);
    expect(pkg.dependencies).toEqual({
      "gatehouse-gateway": `^${own.version}`,
      "@pulumi/aws": pinned("@pulumi/aws"),
      "@pulumi/pulumi": pinned("@pulumi/pulumi"),
    });
    expect(pkg.devDependencies).toEqual({ "@types/node": pinned("@types/node"), tsx: pinned("tsx"), typescript: pinned("typescript") });
    expect(pkg.scripts).toMatchObject({
      validate: "gatehouse validate gateways/*.ts",
      plan: "gatehouse plan gateways/*.ts",
      diff: "gatehouse diff --base origin/main gateways/",
    });
    for (const version of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) expect(version).toMatch(/^\^?\d+\.\d+\.\d+/);
  });

  it("tsconfig.json is plain strict nodenext with skipLibCheck and noEmit", async () => {
    const tsconfig = JSON.parse(await readFile(join(target, "tsconfig.json"), "utf8"));
    expect(tsconfig.compilerOptions).toEqual({
      target: "ES2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    });
    expect(tsconfig.include).toEqual(["gateways", "index.ts"]);
  });

  it("Pulumi.yaml runs index.ts through tsx (no build step); index.ts deploys gateways/ and exports `gateways`", async () => {
    const project = await readFile(join(target, "Pulumi.yaml"), "utf8");
    expect(project).toMatch(/^name: my-infra$/m);
    expect(project).toMatch(/^main: index\.ts$/m);
    expect(project).toContain("runtime:\n  name: nodejs\n  options:\n    packagemanager: npm\n");
    expect(project).toMatch(/^ {4}typescript: false\n {4}nodeargs: "--import tsx"$/m);
    expect(project).toContain("config:\n  gatewaysDir:\n    type: string\n    default: gateways\n");
    const program = await readFile(join(target, "index.ts"), "utf8");
    expect(program).toContain('import { deployGateways, deploymentOptionsFromConfig, loadGatewayFolder } from "gatehouse-gateway/infra";');
    expect(program).toContain('await loadGatewayFolder(config.get("gatewaysDir") ?? "gateways")');
    expect(program).toContain("export const gateways = deployed.outputs;");
  });

  it("the policy pack installs its own dependencies and registers the guardrails", async () => {
    const pkg = JSON.parse(await readFile(join(target, "policy", "package.json"), "utf8"));
    expect(pkg.name).toBe("my-infra-policy");
    expect(pkg.dependencies).toEqual({
      "@pulumi/policy": pinned("@pulumi/policy"),
      "@pulumi/pulumi": pinned("@pulumi/pulumi"),
      "gatehouse-gateway": `^${own.version}`,
      tsx: pinned("tsx"),
    });
    const pack = await readFile(join(target, "policy", "PulumiPolicy.yaml"), "utf8");
    expect(pack).toMatch(/^main: index\.ts$/m);
    expect(pack).toContain('runtime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: "--import tsx"\n');
    const index = await readFile(join(target, "policy", "index.ts"), "utf8");
    expect(index).toContain('import { guardrailsPolicyPack } from "gatehouse-gateway/policy";\n\nguardrailsPolicyPack();');
  });

  it(".gitignore keeps node_modules/ and the keyring's .gatehouse/ out", async () => {
    const lines = (await readFile(join(target, ".gitignore"), "utf8")).split("\n");
    expect(lines).toContain("node_modules/");
    expect(lines).toContain(".gatehouse/");
  });

  it("the workflow validates, comments the diff, gates on exit 1 only, and previews with an OIDC role and an optional self-managed backend", async () => {
    const text = await readFile(join(target, ".github", "workflows", "gatehouse.yml"), "utf8");
    expect(text).toContain(
      "permissions:\n  contents: read\n  pull-requests: write # to post and update the diff comment\n  id-token: write # to assume AWS_ROLE_ARN through GitHub's OIDC provider\n",
    );
    expect(text).toContain("      - name: Validate definitions\n        run: npx gatehouse validate gateways/*.ts\n");
    expect(text).toContain('npx gatehouse diff --base "origin/$BASE_REF" --format markdown gateways/ > diff.md 2> diff.err');
    expect(text).toContain("uses: actions/github-script@v7");
    expect(text).toContain('npx gatehouse diff --base "origin/$BASE_REF" --fail-on widening gateways/ > /dev/null 2> gate.err');
    // Exit 1 (widens) may be approved by the label; exit 2 (could not compare) never is.
    expect(text).toMatch(/ 1\)\n\s+if \[ "\$APPROVED" = "true" \]; then/);
    expect(text).toContain(
      'echo "::error title=Gatehouse could not compare::gatehouse diff exited $code: $(head -n 1 gate.err)"\n              exit "$code" ;;',
    );
    expect(text).toContain(
      "uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: ${{ env.AWS_ROLE_ARN }}\n          aws-region: ${{ env.AWS_REGION }}\n",
    );
    expect(text).toContain("PULUMI_BACKEND_URL: ${{ vars.PULUMI_BACKEND_URL }}");
    expect(text).toContain("PULUMI_CONFIG_PASSPHRASE: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    expect(text).toContain('if [ -n "$PULUMI_BACKEND_URL" ]; then pulumi login "$PULUMI_BACKEND_URL"; else pulumi login; fi');
    expect(text).toContain('run: pulumi preview --stack "$PULUMI_STACK" --policy-pack policy --diff --non-interactive');
    expect(text).toContain("node-version: 24");
    expect(text).not.toContain("__PROJECT_NAME__");
  });

  it("gateways/example.ts validates with the CLI", async () => {
    // As `npm install` would: the scaffold's dependency on gatehouse-gateway is this checkout.
    await mkdir(join(target, "node_modules"), { recursive: true });
    await symlink(repo, join(target, "node_modules", "gatehouse-gateway"), "dir");
    const validated = await run(target, "validate", "gateways/example.ts");
    expect(validated.err).toBe("");
    expect(validated.code).toBe(0);
    expect(validated.out).toMatch(/^✓ gateways\/example\.ts: gateway 'example' \(id [0-9a-f-]{36}, revision [0-9a-f]{12}\): 1 endpoint \[httpbin\]$/);
  });

  it("never overwrites: a second run skips every file and lists them; a file the user changed stays as it is", async () => {
    await writeFile(join(target, "gateways", "example.ts"), "// mine\n");
    await rm(join(target, "policy", "index.ts"));
    const again = await run(dir, "init", "My Infra");
    expect(again.code).toBe(0);
    expect(again.out).toContain("  created  policy/index.ts\n");
    for (const file of EVERY_FILE.filter((f) => f !== "policy/index.ts")) expect(again.out).toContain(`  skipped  ${file} (exists; left as it is)\n`);
    expect(again.out).toContain("package.json was there already: add what the scaffold needs with");
    expect(await readFile(join(target, "gateways", "example.ts"), "utf8")).toBe("// mine\n");
  });

  it("scaffolds into the current folder with no argument, around what is there", async () => {
    const here = join(dir, "existing");
    await mkdir(here);
    await writeFile(join(here, ".gitignore"), "dist/\n");
    const r = await run(here, "init");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Gatehouse repository in .:");
    expect(r.out).toContain("  skipped  .gitignore (exists; left as it is)");
    expect(r.out).not.toContain("  cd ");
    expect(await readFile(join(here, ".gitignore"), "utf8")).toBe("dist/\n");
    expect((await stat(join(here, "gateways", "example.ts"))).isFile()).toBe(true);
  });

  it("is a usage error (exit 2) for a file or two folders", async () => {
    await writeFile(join(dir, "a-file"), "x");
    const file = await run(dir, "init", "a-file");
    expect(file.code).toBe(2);
    expect(file.err).toContain("gatehouse init: a-file is a file, not a folder\nusage: gatehouse init [dir]");
    const two = await run(dir, "init", "a", "b");
    expect(two.code).toBe(2);
    expect(two.err).toContain("gatehouse init: name one folder\nusage: gatehouse init [dir]");
    const option = await run(dir, "init", "--force");
    expect(option.code).toBe(2);
    expect(option.err).toContain("gatehouse init: unknown option '--force'");
  });
});
