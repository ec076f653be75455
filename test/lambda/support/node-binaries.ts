import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const version = (bin: string) => execFileSync(bin, ["-p", "process.version"], { encoding: "utf8" }).trim();

/**
 * The Node 20 binary (our machines and CI) and the Node 22 one (the Lambda runtime, from the npm
 * package `node@22`). Node 20 is this process when it is 20, else the first `node` on PATH that
 * is 20 (npm puts node_modules/.bin first, which may hold the 22 one).
 */
export function nodeBinaries(): { node20: string; node22: string } {
  const node22 = fileURLToPath(new URL("../../../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(node22)) throw new Error("node_modules/node/bin/node is missing: npm install (devDependency node@22)");
  const candidates = [process.execPath, ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "node"))];
  const node20 = candidates.find((bin) => existsSync(bin) && version(bin).startsWith("v20."));
  if (!node20) throw new Error("no Node 20 binary found (process.execPath or PATH)");
  return { node20, node22 };
}

export { version as nodeVersion };
