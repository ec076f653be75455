import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Message, type Plugin } from "esbuild";
import type { DefinitionIssue } from "../schema/definition-error.ts";

/** A definition file bundled to one ES module that Node can import from anywhere. */
export type BundledDefinition = { ok: true; code: string; warnings: DefinitionIssue[]; inputs: string[] } | { ok: false; issues: DefinitionIssue[] };

/** The file types a definition may be written in. */
export const DEFINITION_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"] as const;

/**
 * Bundles a definition file and the relative files it imports (helpers shared between
 * definitions, in TypeScript or JavaScript, ESM or CommonJS) into one ES module, whatever the
 * repository's `"type"`. Packages are not bundled: each bare import is resolved from the file
 * that imports it, the way Node would from there (so `gatehouse-gateway` is the user's own
 * install), and left as an absolute import, so `defineGateway` stays one module instance
 * shared with the CLI and the bundle can be imported from a `data:` URL with no temporary file.
 */
export async function bundleDefinition(path: string): Promise<BundledDefinition> {
  const url = pathToFileURL(path).href;
  try {
    const result = await build({
      entryPoints: [path],
      absWorkingDir: dirname(path),
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node24",
      // As Node resolves: export conditions `node`, `import`/`require`, `default`; no `module` field.
      conditions: ["node"],
      mainFields: ["main"],
      logLevel: "silent",
      // Resolve as Node does at run time: tsconfig `paths` are a compiler's view, not Node's
      // (use relative imports or package.json "imports" for aliases).
      tsconfigRaw: {},
      sourcemap: false,
      // Which local files went into the bundle (the definition and what it imports): `dev --watch` watches them.
      metafile: true,
      // CommonJS helpers that call require() get a real one, anchored at the definition file;
      // import.meta.url and __filename name the definition file, not the bundle.
      banner: {
        js: `import { createRequire as __gatehouseCreateRequire } from "node:module"; const require = __gatehouseCreateRequire(${JSON.stringify(url)}); const __filename = ${JSON.stringify(path)}; const __dirname = ${JSON.stringify(dirname(path))};`,
      },
      define: { "import.meta.url": JSON.stringify(url), "import.meta.filename": JSON.stringify(path), "import.meta.dirname": JSON.stringify(dirname(path)) },
      plugins: [packagesFromImporter],
    });
    const code = result.outputFiles[0]?.text ?? "";
    const inputs = Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(dirname(path), input));
    return { ok: true, code, warnings: result.warnings.filter(isDuplicateKey).map((w) => duplicateKeyIssue(w, path)), inputs };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw error;
    return { ok: false, issues: errors.map((e) => buildErrorIssue(e, path)) };
  }
}

const BUILTINS = new Set(builtinModules);
const RELATIVE_OR_ABSOLUTE = /^(?:\.{1,2}(?:\/|$)|\/|[a-zA-Z]:[\\/]|file:)/;

/** Bare imports (packages) are resolved from their importer by esbuild's Node-like resolver, then kept external at that absolute location. */
const packagesFromImporter: Plugin = {
  name: "gatehouse-packages-from-importer",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "resolving" || RELATIVE_OR_ABSOLUTE.test(args.path)) return undefined;
      if (args.path.startsWith("node:") || BUILTINS.has(args.path)) return { path: args.path, external: true };
      const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "resolving" });
      if (resolved.errors.length > 0) return { errors: resolved.errors.map((e) => ({ ...e, text: missingPackage(args.path) })) };
      // import() and import statements take a URL; require() takes a path.
      const external = args.kind === "require-call" || args.kind === "require-resolve" ? resolved.path : pathToFileURL(resolved.path).href;
      return { path: external, external: true };
    });
  },
};

function missingPackage(name: string): string {
  const pkg = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]!;
  return `cannot find the package '${name}' from this file; install it in this repository (npm install ${pkg})`;
}

function isDuplicateKey(message: Message): boolean {
  return message.id === "duplicate-object-key" || /Duplicate key/.test(message.text);
}

/** An object literal with the same key twice keeps only the last value, so a duplicated slug would silently vanish. */
function duplicateKeyIssue(message: Message, entry: string): DefinitionIssue {
  return { path: where(message, entry), message: `${message.text.replace(/\.$/, "")}: the later one silently replaces the earlier` };
}

function buildErrorIssue(message: Message, entry: string): DefinitionIssue {
  return { path: where(message, entry), message: message.text.replace(/\.$/, "") };
}

/** `line 6` in the definition file itself; `helpers/common.ts line 6` in a file it imports. */
function where(message: Message, entry: string): string {
  const location = message.location;
  if (!location) return "";
  return resolve(dirname(entry), location.file) === entry ? `line ${location.line}` : `${location.file} line ${location.line}`;
}
