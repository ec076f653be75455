import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SOURCES = ["schema", "functions", "infra", "cli", "loader", "policy", "tsconfig.json", "tsconfig.build.json"];
const BUILD_INFO = join(ROOT, "dist", ".tsbuildinfo");

/**
 * Vitest global setup: tests that run the `gatehouse` command run the built JavaScript in dist/,
 * as users do. `npm test` builds first; this rebuilds only when a source is newer than the last
 * build, so a direct `npx vitest run` never tests stale output.
 */
export default function ensureBuild(): void {
  const built = mtime(BUILD_INFO);
  if (built !== 0 && SOURCES.every((entry) => newest(join(ROOT, entry)) <= built)) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}
