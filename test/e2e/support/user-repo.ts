import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This checkout (the package under test). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** What a command printed and how it ended. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment a user's shell would give a command here: Node 24 first on PATH (this machine's
 * system Node is older; the suite itself runs on the node@24 devDependency), npm's cache as the
 * suite's own install left it, no CI-only switches of ours.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = [dirname(process.execPath), ...(process.env.PATH ?? "").split(delimiter)].join(delimiter);
  return { ...process.env, PATH: path, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}

/** Runs a program to its end, never throwing on a non-zero exit. */
export function run(cwd: string, file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: options.env ?? userEnv(), timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Packs this checkout as npm would publish it (dist/ is already built by the suite's setup). */
export async function packTarball(into: string): Promise<string> {
  const packed = await run(PACKAGE_ROOT, "npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", into]);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  return join(into, info!.filename);
}

/** The versions this checkout pins for a package (its lock file), so a user repo installs the same. */
export async function pinnedVersion(name: string): Promise<string> {
  const lock = JSON.parse(await readFile(join(PACKAGE_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

/**
 * A user's repository, made the way a user makes one: `npm init -y` (CommonJS, npm's default),
 * optionally switched to ES modules, then `npm install` of the packed tarball and of what a
 * deploying user adds beside it (Pulumi, TypeScript), from the registry through npm's cache.
 */
export async function makeUserRepo(type: "commonjs" | "module", tarball: string, extra: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `gatehouse-e2e-${type}-`));
  const init = await run(dir, "npm", ["init", "-y"]);
  if (init.code !== 0) throw new Error(`npm init -y failed: ${init.stderr}`);
  if (type === "module") await run(dir, "npm", ["pkg", "set", "type=module"]);
  const install = await run(dir, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, ...extra], { timeoutMs: 300_000 });
  if (install.code !== 0) throw new Error(`npm install in ${dir} failed:\n${install.stderr}`);
  return dir;
}

/** Writes files (paths relative to `dir`), making folders as needed. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** `npx gatehouse …` in the repository: the bin link npm made, run by Node 24. */
export function gatehouse(dir: string, args: string[], env?: Record<string, string>): Promise<Ran> {
  return run(dir, join(dir, "node_modules", ".bin", "gatehouse"), args, { env: userEnv(env) });
}

/** Starts `gatehouse dev` in the repository and resolves once it prints its base URL. */
export async function startDev(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ base: string; output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(join(dir, "node_modules", ".bin", "gatehouse"), ["dev", ...args], { cwd: dir, env: userEnv(env) }) as ChildProcessWithoutNullStreams;
  let output = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gatehouse dev did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Gatehouse dev server on (http:\/\/\S+?),? /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`gatehouse dev exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    base,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
