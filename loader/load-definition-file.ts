import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { DefinitionError, type DefinitionIssue } from "../schema/definition-error.ts";
import { isValidatedGateway, validateGateway } from "../schema/define-gateway.ts";
import type { Gateway } from "../schema/gateway.ts";
import { bundleDefinition, DEFINITION_EXTENSIONS } from "./bundle-definition.ts";

/** What loading one definition file gave: its gateways, or every problem found in it. */
export type LoadedFile =
  | { file: string; ok: true; gateways: Gateway[] /** Absolute paths of the local files bundled (the file and its imports). */; inputs: string[] }
  | { file: string; ok: false; issues: DefinitionIssue[]; missing?: true };

/**
 * Loads a definition file as the user wrote it (`.ts`, `.mts`, `.cts`, `.js`, `.mjs`, `.cjs`, in a
 * CommonJS or an ES module repository), with no build step: see {@link bundleDefinition}. The
 * default export (or `module.exports`) may be one gateway or a list of them; a plain object is
 * validated here. Problems come back as values with words a user can act on, never a stack trace.
 */
export async function loadDefinitionFile(file: string, cwd: string = process.cwd()): Promise<LoadedFile> {
  const path = resolve(cwd, file);
  const fail = (message: string, extra: { missing?: true } = {}): LoadedFile => ({ file, ok: false, issues: [{ path: "", message }], ...extra });
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    return info.code === "ENOENT" ? fail(`no such file: ${path}`, { missing: true }) : fail(`cannot read the file (${info.code ?? info.message})`);
  }
  if (!info.isFile()) return fail(`${path} is not a file; name a definition file such as gateways/example.ts`);
  if (!(DEFINITION_EXTENSIONS as readonly string[]).includes(extname(path))) {
    return fail(`a definition file ends in ${DEFINITION_EXTENSIONS.join(", ")}; got '${extname(path) || "no extension"}'`);
  }
  const bundled = await bundleDefinition(path);
  if (!bundled.ok) return { file, ok: false, issues: bundled.issues };
  let exported: unknown;
  try {
    const module = (await import(`data:text/javascript;base64,${Buffer.from(bundled.code).toString("base64")}`)) as { default?: unknown };
    exported = unwrapDefault(module.default);
  } catch (error) {
    if (error instanceof DefinitionError || (error as { name?: unknown })?.name === "DefinitionError") {
      return { file, ok: false, issues: [...bundled.warnings, ...(error as DefinitionError).issues] };
    }
    return { file, ok: false, issues: [...bundled.warnings, { path: "", message: `the file threw while loading: ${firstLine(error)}` }] };
  }
  if (exported === undefined) {
    return fail("the file has no default export; write `export default defineGateway({...})` (or `module.exports = defineGateway({...})`)");
  }
  const list = Array.isArray(exported) ? exported : [exported];
  const gateways: Gateway[] = [];
  const issues: DefinitionIssue[] = [...bundled.warnings];
  list.forEach((item, index) => {
    if (isValidatedGateway(item)) return gateways.push(item);
    const result = validateGateway(item);
    const prefix = Array.isArray(exported) ? `[${index}].` : "";
    if (result.ok) gateways.push(result.gateway);
    else issues.push(...result.issues.map((i) => ({ path: prefix + i.path, message: i.message })));
  });
  return issues.length ? { file, ok: false, issues } : { file, ok: true, gateways, inputs: bundled.inputs };
}

/** `exports.default = …` compiled from TypeScript by a CommonJS build arrives as `{ default: … }`. */
function unwrapDefault(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !isValidatedGateway(value) && "default" in value) {
    const keys = Object.keys(value).filter((k) => k !== "__esModule");
    if (keys.length === 1) return (value as { default: unknown }).default;
  }
  return value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
