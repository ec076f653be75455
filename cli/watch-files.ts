import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

/** A set of watched files; `set` replaces it (the definition's imports change as it is edited). */
export interface FileWatch {
  set(files: string[]): void;
  close(): void;
}

/** How long changes are gathered before one callback: an editor's save is often several writes. */
const SETTLE_MS = 40;

/**
 * Calls `onChange` once after any of `files` changes. Each file's folder is watched rather than
 * the file: editors that save by writing a new file and renaming it over the old one would leave
 * a watch on the old inode blind.
 */
export function watchFiles(files: string[], onChange: () => void): FileWatch {
  const watchers = new Map<string, FSWatcher>();
  let names = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  };
  const set = (next: string[]) => {
    names = new Set(next);
    const folders = new Set(next.map((f) => dirname(f)));
    for (const [folder, watcher] of watchers) if (!folders.has(folder)) watcher.close(), watchers.delete(folder);
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      const watcher = watch(folder, (_event, name) => {
        // Without a name (some platforms) any change in the folder counts.
        if (name === null || [...names].some((f) => dirname(f) === folder && basename(f) === name.toString())) fire();
      });
      watcher.on("error", () => {}); // a folder removed under us: nothing left to watch there
      watchers.set(folder, watcher);
    }
  };
  set(files);
  return {
    set,
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
