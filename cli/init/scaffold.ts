import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ownPackage, type OwnPackageJson } from "../package-root.ts";

/** Where the template files are, inside our package (package.json `files` must list `cli/templates/`). */
export const TEMPLATES_FOLDER = join("cli", "templates", "init");

/** One file `gatehouse init` writes: its path in the new repository and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/** Template file (below {@link TEMPLATES_FOLDER}) to the path it is written to. */
const TEMPLATES: ReadonlyArray<readonly [template: string, target: string]> = [
  ["gitignore.tmpl", ".gitignore"],
  ["tsconfig.json.tmpl", "tsconfig.json"],
  ["index.ts.tmpl", "index.ts"],
  ["Pulumi.yaml.tmpl", "Pulumi.yaml"],
  ["gateways/example.ts.tmpl", "gateways/example.ts"],
  ["gateways/README.md.tmpl", "gateways/README.md"],
  ["policy/PulumiPolicy.yaml.tmpl", "policy/PulumiPolicy.yaml"],
  ["policy/index.ts.tmpl", "policy/index.ts"],
  ["workflow.yml.tmpl", ".github/workflows/gatehouse.yml"],
];

/**
 * Every file of a new infrastructure repository in `dir`, in the order they are written. The two
 * package.json files are made here, so their versions are this package's own: `gatehouse-gateway`
 * at our version, and the Pulumi packages, TypeScript and tsx at the versions we test with.
 */
export async function scaffoldFiles(dir: string): Promise<ScaffoldFile[]> {
  const { root, json } = ownPackage();
  const name = projectName(dir);
  const files: ScaffoldFile[] = [{ path: "package.json", text: `${JSON.stringify(rootPackageJson(name, json), null, 2)}\n` }];
  for (const [template, target] of TEMPLATES) {
    const text = await readFile(join(root, TEMPLATES_FOLDER, ...template.split("/")), "utf8");
    files.push({ path: target, text: text.replaceAll("__PROJECT_NAME__", name) });
  }
  files.push({ path: "policy/package.json", text: `${JSON.stringify(policyPackageJson(name, json), null, 2)}\n` });
  return files;
}

/** An npm package name from the folder's name (lower case, URL-safe), or `gateways`. */
export function projectName(dir: string): string {
  const cleaned = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "");
  return cleaned || "gateways";
}

function rootPackageJson(name: string, own: OwnPackageJson) {
  return {
    name,
    version: "0.0.0",
    private: true,
    description: "Gatehouse gateways: definitions in gateways/, deployed with pulumi up",
    // ESM, so index.ts may await at the top level; the gatehouse CLI works in CommonJS repositories too.
    type: "module",
    engines: { node: ">=24" },
    scripts: {
      validate: "gatehouse validate gateways/*.ts",
      plan: "gatehouse plan gateways/*.ts",
      diff: "gatehouse diff --base origin/main gateways/",
      dev: "gatehouse dev gateways/example.ts",
      typecheck: "tsc -p tsconfig.json",
    },
    dependencies: {
      "gatehouse-gateway": `^${own.version}`,
      // The user deploys, so the Pulumi packages are the user's, at the versions we test with.
      "@pulumi/aws": versionOf(own, "@pulumi/aws"),
      "@pulumi/pulumi": versionOf(own, "@pulumi/pulumi"),
    },
    devDependencies: {
      "@types/node": versionOf(own, "@types/node"),
      // Pulumi.yaml runs index.ts with `--import tsx`: no build step.
      tsx: versionOf(own, "tsx"),
      typescript: versionOf(own, "typescript"),
    },
  };
}

function policyPackageJson(name: string, own: OwnPackageJson) {
  return {
    name: `${name}-policy`,
    version: "0.0.0",
    private: true,
    description: "The Gatehouse guardrails as a Pulumi policy pack: pulumi preview --policy-pack policy",
    type: "module",
    dependencies: {
      "@pulumi/policy": versionOf(own, "@pulumi/policy"),
      "@pulumi/pulumi": versionOf(own, "@pulumi/pulumi"),
      "gatehouse-gateway": `^${own.version}`,
      tsx: versionOf(own, "tsx"),
    },
  };
}

/** The version of a package we depend on or test with, as our package.json pins it. */
function versionOf(own: OwnPackageJson, pkg: string): string {
  const version = own.devDependencies?.[pkg] ?? own.dependencies?.[pkg] ?? own.peerDependencies?.[pkg];
  if (!version) throw new Error(`our package.json names no version of ${pkg}; gatehouse init cannot pin it`);
  return version;
}
