import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The Node 24 binary of the Lambda runtime `nodejs24.x`, from the devDependency `node@24`
 * (this machine's system Node is older, so the tests never rely on whatever `node` is on PATH).
 */
export function node24Binary(): string {
  const node24 = fileURLToPath(new URL("../../../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(node24)) throw new Error("node_modules/node/bin/node is missing: run npm install (devDependency node@24)");
  return node24;
}
