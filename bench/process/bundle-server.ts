import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(BENCH, ".build");

/**
 * Bundles a server entry (`servers/x.ts`) into `bench/.build/x/x.mjs`, dependencies left as
 * imports from node_modules. Servers run as plain JavaScript, as a deployed gateway does:
 * under tsx a process also carries the loader's worker thread and its own heap (about
 * 25 MB of RSS), which would be charged to whichever server is measured. Split into chunks at
 * dynamic imports, as the package's unbundled files load: one bundle would hoist the imports
 * of a lazily imported module (the DynamoDB stores and the AWS SDK) to its top.
 */
export async function bundleServer(script: string): Promise<string> {
  const name = basename(script).replace(/\.ts$/, "");
  const outdir = join(OUT, name);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(BENCH, script)],
    outdir,
    splitting: true,
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    packages: "external",
    logLevel: "warning",
  });
  return join(outdir, `${name}.mjs`);
}
