import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(BENCH, ".build");

/**
 * Bundles a server entry (`servers/x.ts`) into `bench/.build/x.mjs`, dependencies left as
 * imports from node_modules. Servers run as plain JavaScript, as a deployed gateway does:
 * under tsx a process also carries the loader's worker thread and its own heap (about
 * 25 MB of RSS), which would be charged to whichever server is measured.
 */
export async function bundleServer(script: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, basename(script).replace(/\.ts$/, ".mjs"));
  await build({
    entryPoints: [join(BENCH, script)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    packages: "external",
    logLevel: "warning",
  });
  return outfile;
}
