import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Our package's name: the package.json the walk stops at. */
const PACKAGE_NAME = "gatehouse-gateway";

/** The parts of our package.json the CLI reads. */
export interface OwnPackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * The folder of our own package.json and its contents, found by walking up from this file, so it
 * is right whether the CLI runs from the sources or from a build below `dist/`.
 */
export function ownPackage(): { root: string; json: OwnPackageJson } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Partial<OwnPackageJson>;
      if (json.name === PACKAGE_NAME && typeof json.version === "string") return { root: dir, json: json as OwnPackageJson };
    } catch {
      // no package.json here (or not ours): keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The version in our own package.json. */
export function packageVersion(): string {
  return ownPackage().json.version;
}
