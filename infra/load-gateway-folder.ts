import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Gateway } from "../schema/gateway.ts";
import { loadDefinitionFile } from "../loader/load-definition-file.ts";

const DEFINITION_FILE = /^(?!.*\.d\.[cm]?ts$).*\.(?:ts|mts|cts|js|mjs|cjs)$/;

/**
 * Loads every definition file directly in `folder` (`*.ts`, `*.mts`, `*.cts`, `*.js`, `*.mjs`, `*.cjs`; other
 * files such as README.md are ignored), in name order, with the same loader as
 * `gatehouse validate`. Any problem in any file fails the whole load with every problem listed.
 * An empty folder is an error too: deploying nothing would delete every deployed gateway.
 */
export async function loadGatewayFolder(folder: string, cwd: string = process.cwd()): Promise<Gateway[]> {
  const dir = resolve(cwd, folder);
  const files = (await readdir(dir)).filter((f) => DEFINITION_FILE.test(f)).sort();
  return loadGatewayFiles(
    files.map((f) => join(dir, f)),
    cwd,
    `no gateway definitions in ${folder}/: put one definition file per gateway there (see ${folder}/README.md); to remove every gateway, run pulumi destroy`,
  );
}

/** Loads the given definition files; throws one error listing every problem of every file. */
export async function loadGatewayFiles(files: string[], cwd: string = process.cwd(), whenEmpty = "no definition files given"): Promise<Gateway[]> {
  if (files.length === 0) throw new Error(whenEmpty);
  const gateways: Gateway[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const loaded = await loadDefinitionFile(file, cwd);
    if (loaded.ok) gateways.push(...loaded.gateways);
    else problems.push(...loaded.issues.map((i) => `${file}: ${i.path || "(file)"}: ${i.message}`));
  }
  if (problems.length) throw new Error(`invalid gateway definitions:\n  ${problems.join("\n  ")}`);
  return gateways;
}
