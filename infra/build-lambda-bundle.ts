import { createHash } from "node:crypto";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, buildSync } from "esbuild";

/**
 * The bundle's entry: the Lambda front door, as this module itself runs: the built `.js` in an
 * installed package (dist/), the `.ts` source in this repository's tests.
 */
export const LAMBDA_ENTRY = fileURLToPath(new URL(`../functions/front-doors/lambda/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** The package root (dist/ once built), the working directory esbuild resolves from (fixed, so output never depends on the caller's cwd). */
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A built Lambda bundle. */
export interface LambdaBundle {
  /** `index.mjs`: the whole function, AWS SDK included. */
  code: string;
  /** Hex SHA-256 of `code`. */
  sha256: string;
  bytes: number;
  /** Bytes of output per input file (the biggest first), for size budgets. */
  inputs: Array<{ path: string; bytes: number }>;
}

/**
 * The esbuild settings of the Lambda bundle, without its entry and replacements: the cold-start
 * bench builds its AWS-SDK-only baseline with the same ones, so the two imports compare fairly.
 */
export const LAMBDA_BUILD_OPTIONS = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  write: false,
  outfile: "index.mjs",
  logLevel: "silent",
  // ES module builds first: the AWS SDK tree-shakes far better from dist-es than dist-cjs.
  mainFields: ["module", "main"],
  // Bundled CommonJS (the AWS SDK, undici) calls require() for Node built-ins; ESM has none.
  banner: { js: 'import{createRequire as __gatehouseRequire}from"node:module";const require=__gatehouseRequire(import.meta.url);' },
} as const satisfies BuildOptions;

/** Options of {@link buildLambdaBundle}. */
export interface BundleOptions {
  /** @default true */
  minify?: boolean;
  /** Reuse this process's earlier build. @default true */
  cache?: boolean;
}

const cache = new Map<string, LambdaBundle>();

const SOURCE_EXT = extname(fileURLToPath(import.meta.url));

/**
 * Packages the bundle replaces. The SDK's default credential chain becomes the environment's
 * alone (functions/adapters/aws/environment-credentials.ts says why); the CLI keeps the full one.
 */
const LAMBDA_ALIASES: Record<string, string> = {
  "@aws-sdk/credential-provider-node": `./functions/adapters/aws/environment-credentials${SOURCE_EXT}`,
};

/**
 * undici files required only on paths the function never takes, left out of the bundle (the
 * `require` stays and would fail with MODULE_NOT_FOUND if ever reached, never silently):
 * - `llhttp-wasm.js`, llhttp without WebAssembly SIMD (70 KiB): undici takes the SIMD build
 *   everywhere Lambda runs (it falls back only on ppc64 before Node 24.12, under Jest, or with
 *   UNDICI_NO_WASM_SIMD=1);
 * - `web/fetch/body.js` (fetch's body and FormData code, 40 KiB with WebIDL): undici requires
 *   it lazily for a FormData request body, and the adapters send bytes or streams only.
 */
const NEVER_LOADED = ["../llhttp/llhttp-wasm.js", "../web/fetch/body.js"] as const;

/**
 * Builds the Lambda code with esbuild, in-process: one ESM file, minified, the AWS SDK bundled
 * (not taken from the runtime: faster cold starts, and production runs the SDK the tests ran).
 * Target node24: the bundle runs on Lambda's nodejs24.x, and the tests run it under Node 24. No
 * source map, no legal comments, no absolute paths, so two builds of the same sources are byte
 * for byte identical and `pulumi preview` shows no false code change. Cached per process (every
 * gateway of a program shares one build; the definition is a separate file in the archive).
 */
export function buildLambdaBundle(options: BundleOptions = {}): LambdaBundle {
  const minify = options.minify ?? true;
  const key = String(minify);
  const cached = options.cache === false ? undefined : cache.get(key);
  if (cached) return cached;
  const result = buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [LAMBDA_ENTRY],
    minify,
    alias: LAMBDA_ALIASES,
    external: [...NEVER_LOADED],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output");
  const code = file.text;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  const bundle: LambdaBundle = { code, sha256: createHash("sha256").update(code).digest("hex"), bytes: Buffer.byteLength(code), inputs };
  cache.set(key, bundle);
  return bundle;
}
