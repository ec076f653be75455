import { isAbsolute, relative, resolve, sep } from "node:path";

/** Folders searched when `gatehouse diff` is given no paths: where users and our examples keep definitions. */
export const DEFAULT_DEFINITION_FOLDERS = ["gateways", "examples"] as const;

/**
 * Turns paths given on the command line (relative to `cwd`) into repository-relative POSIX paths,
 * the form git's `<rev>:<path>` takes. Returns null for a path outside the repository.
 */
export function toRepoPath(root: string, cwd: string, path: string): string | null {
  const rel = relative(root, resolve(cwd, path));
  if (rel.startsWith("..") || isAbsolute(rel)) return null;
  return rel.split(sep).join("/").replace(/\/+$/, "");
}

/**
 * True when `file` (repository-relative) is a definition selected by `path`: the file itself, or a
 * definition file (not a `.d.ts`) anywhere below the folder `path`. An empty `path` is the whole repository.
 */
export function isSelectedBy(file: string, path: string): boolean {
  if (file === path) return true;
  const below = path === "" || file.startsWith(`${path}/`);
  return below && DEFINITION_FILE.test(file);
}

/** The definition files the loader takes (`.ts`, `.mts`, `.cts`, `.js`, `.mjs`, `.cjs`), not declaration files. */
const DEFINITION_FILE = /^(?!.*\.d\.[cm]?ts$).*\.(?:[cm]?ts|[cm]?js)$/;

/** Files a definition may import (helpers, JSON data), copied along with the definitions. */
export const SOURCE_FILE = /\.(?:[cm]?ts|[cm]?js|json)$/;

/**
 * The folder whose files are materialised for `path`: its top-level folder, so a definition in
 * `gateways/prod/` can import `gateways/shared.ts`. A file at the root brings only itself.
 */
export function materialisedRoot(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? path : path.slice(0, slash);
}
