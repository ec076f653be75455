import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "./io.ts";

/** A named definition file that does not exist is a usage error (exit 2), found before anything loads. */
export async function requireFiles(files: readonly string[], cwd: string): Promise<void> {
  for (const file of files) {
    const info = await stat(resolve(cwd, file)).catch(() => null);
    if (!info) throw new UsageError(`no such file: ${file}`);
    if (!info.isFile()) throw new UsageError(`${file} is not a file; name the definition files (for a folder: ${file.replace(/\/$/, "")}/*.ts)`);
  }
}
