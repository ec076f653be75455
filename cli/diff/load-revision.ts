import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadDefinitionFile, type LoadedFile } from "../../loader/load-definition-file.ts";
import { isSelectedBy, materialisedRoot, SOURCE_FILE } from "./definition-paths.ts";
import { runGit } from "./run-git.ts";

/**
 * Loads the definitions selected by `paths` (repository-relative) as they are at `commit`, or in
 * the working tree when `commit` is null. File names in the result are repository-relative.
 *
 * A commit's files are read with `git ls-tree` and `git cat-file`, never checked out: they are
 * written to a fresh `<root>/.gatehouse/tmp/diff-<random>/` with their relative paths, so imports
 * between them work, `import "gatehouse-gateway"` resolves through the repository's own package.json and
 * node_modules (both are above the folder), and the unique path keeps the module cache from
 * handing back another revision's module. The folder is removed afterwards.
 */
export async function loadRevision(root: string, commit: string | null, paths: string[]): Promise<LoadedFile[]> {
  if (commit === null) {
    const files = await listWorkingTree(root, paths);
    const loaded: LoadedFile[] = [];
    for (const file of files) loaded.push(await loadDefinitionFile(file, root));
    return loaded;
  }
  const tree = await listTree(root, commit, [...new Set(paths.map(materialisedRoot))]);
  const definitions = tree.filter((entry) => paths.some((p) => isSelectedBy(entry.path, p))).map((entry) => entry.path);
  if (definitions.length === 0) return [];
  const folder = join(root, ".gatehouse", "tmp", `diff-${randomBytes(6).toString("hex")}`);
  try {
    const support = tree.filter((entry) => SOURCE_FILE.test(entry.path) || definitions.includes(entry.path));
    const blobs = await readBlobs(
      root,
      support.map((entry) => entry.object),
    );
    for (const entry of support) {
      const target = join(folder, ...entry.path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, blobs.get(entry.object) ?? Buffer.alloc(0));
    }
    const loaded: LoadedFile[] = [];
    for (const file of definitions.sort()) loaded.push(await loadDefinitionFile(file, folder));
    return loaded;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** True when `path` names a file or folder at `commit` (null: in the working tree). */
export async function pathExists(root: string, commit: string | null, path: string): Promise<boolean> {
  if (commit === null)
    return stat(join(root, path)).then(
      () => true,
      () => false,
    );
  if (path === "") return true;
  const out = await runGit(root, ["ls-tree", "-z", "--name-only", commit, "--", path]);
  return out.length > 0;
}

interface TreeEntry {
  path: string;
  object: string;
}

/** Regular files (not symlinks, not submodules) below `paths` at `commit`. */
async function listTree(root: string, commit: string, paths: string[]): Promise<TreeEntry[]> {
  const pathspec = paths.includes("") ? [] : paths;
  const out = await runGit(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...pathspec]);
  const entries: TreeEntry[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (match?.[2] !== "blob" || match[1] === "120000") continue;
    entries.push({ path: match[4]!, object: match[3]! });
  }
  return entries;
}

/** Reads many blobs with one `git cat-file --batch`, keyed by object id. */
async function readBlobs(root: string, objects: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(objects)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const out = await runGit(root, ["cat-file", "--batch"], `${unique.join("\n")}\n`);
  let at = 0;
  while (at < out.length) {
    const end = out.indexOf(0x0a, at);
    if (end === -1) break;
    const [object, type, size] = out.subarray(at, end).toString("utf8").split(" ");
    at = end + 1;
    if (type === "missing" || object === undefined || size === undefined) continue;
    const length = Number(size);
    blobs.set(object, out.subarray(at, at + length));
    at += length + 1; // the content is followed by a newline
  }
  return blobs;
}

/** Definition files below `paths` on disk, skipping dependencies and dot-folders such as `.gatehouse/`. */
async function listWorkingTree(root: string, paths: string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (rel: string, path: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child, path);
      else if (entry.isFile() && isSelectedBy(child, path)) found.add(child);
    }
  };
  for (const path of paths) {
    const info = await stat(join(root, path)).catch(() => null);
    if (info?.isFile()) found.add(path);
    else if (info?.isDirectory()) await walk(path, path);
  }
  return [...found].sort();
}
