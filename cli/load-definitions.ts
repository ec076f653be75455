import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import { DefinitionError, type DefinitionIssue } from "../schema/definition-error.ts";
import { isValidatedGateway, validateGateway } from "../schema/define-gateway.ts";
import type { Gateway } from "../schema/gateway.ts";

/** What loading one definition file gave: its gateways, or every problem found in it. */
export type LoadedFile =
  | { file: string; ok: true; gateways: Gateway[] }
  | { file: string; ok: false; issues: DefinitionIssue[] };

/**
 * Loads a TypeScript (or JavaScript) definition file as the user wrote it, with no build step.
 * The default export may be one gateway or a list of them; a plain object is validated here.
 * Problems come back as values, never as a stack trace.
 */
export async function loadDefinitionFile(file: string, cwd: string = process.cwd()): Promise<LoadedFile> {
  const path = resolve(cwd, file);
  let source: string;
  try {
    source = await readFile(path, "utf8");
  } catch (error) {
    return { file, ok: false, issues: [{ path: "", message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})` }] };
  }
  const duplicates = await duplicateKeys(source, path);
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    if (error instanceof DefinitionError || (error as { name?: unknown })?.name === "DefinitionError") {
      return { file, ok: false, issues: [...duplicates, ...(error as DefinitionError).issues] };
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { file, ok: false, issues: [...duplicates, { path: "", message: `the file failed to load: ${message}` }] };
  }
  if (exported === undefined) {
    return { file, ok: false, issues: [{ path: "", message: "the file has no default export; write `export default defineGateway({...})`" }] };
  }
  const list = Array.isArray(exported) ? exported : [exported];
  const gateways: Gateway[] = [];
  const issues: DefinitionIssue[] = [...duplicates];
  list.forEach((item, index) => {
    if (isValidatedGateway(item)) return gateways.push(item);
    const result = validateGateway(item);
    const prefix = Array.isArray(exported) ? `[${index}].` : "";
    if (result.ok) gateways.push(result.gateway);
    else issues.push(...result.issues.map((i) => ({ path: prefix + i.path, message: i.message })));
  });
  return issues.length ? { file, ok: false, issues } : { file, ok: true, gateways };
}

/**
 * An object literal with the same key twice keeps only the last value, so a duplicated
 * endpoint slug would silently vanish. esbuild reports it; we make it a problem.
 */
async function duplicateKeys(source: string, path: string): Promise<DefinitionIssue[]> {
  try {
    const result = await transform(source, { loader: path.endsWith(".ts") || path.endsWith(".mts") ? "ts" : "js", sourcefile: path, logLevel: "silent" });
    return result.warnings
      .filter((w) => w.id === "duplicate-object-key" || /Duplicate key/.test(w.text))
      .map((w) => ({ path: `line ${w.location?.line ?? "?"}`, message: `${w.text.replace(/\.$/, "")}: the later one silently replaces the earlier` }));
  } catch {
    return []; // a syntax error is reported by the import that follows
  }
}
