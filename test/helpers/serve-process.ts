import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (definitions written under it resolve `gatehouse-gateway`). */
export const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A scratch folder under the repository's `.gatehouse/` (so the definition resolves
 * `gatehouse-gateway`) holding `gateway.ts`: one GET endpoint to https://api.example.com under
 * `name`. The caller removes `dir`.
 */
export async function scratchGateway(prefix: string, name: string): Promise<{ dir: string; definition: string }> {
  await mkdir(join(REPO, ".gatehouse"), { recursive: true });
  const dir = await mkdtemp(join(REPO, ".gatehouse", prefix));
  const definition = join(dir, "gateway.ts");
  await writeFile(
    definition,
    `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({ name: "${name}", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } });\n`,
  );
  return { dir, definition };
}

/** A `gatehouse serve` child and its JSON log lines. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Every stdout line parsed (serve writes one JSON object per line). */
  lines(): Array<Record<string, unknown>>;
  stderr(): string;
  /** `http://127.0.0.1:<port>` from the `serve.started` line. */
  base: string;
  exited: Promise<number | null>;
}

/** Starts `gatehouse serve` as an operator would and waits for `serve.started` (or the exit). */
export async function startServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(REPO, "cli/bin.mjs"), "serve", ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
  }) as ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = () =>
    stdout
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (let i = 0; i < 600 && child.exitCode === null && !lines().some((l) => l.event === "serve.started"); i++) await new Promise((r) => setTimeout(r, 50));
  const started = lines().find((l) => l.event === "serve.started");
  return { child, lines, stderr: () => stderr, base: String(started?.address ?? ""), exited };
}

/** A `gatehouse dev` child and its output so far. */
export interface DevProcess {
  child: ChildProcessWithoutNullStreams;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `gatehouse dev` as a user would, with `env` as its whole environment, and waits until
 * its output matches `ready` (the last banner line it prints) or it exits.
 */
export async function startDev(args: string[], env: NodeJS.ProcessEnv = process.env, ready: RegExp = /try:/): Promise<DevProcess> {
  const child = spawn(process.execPath, [join(REPO, "cli/bin.mjs"), "dev", ...args], { cwd: REPO, env }) as ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  for (let i = 0; i < 400 && !ready.test(stdout) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  return { child, out: () => stdout, err: () => stderr, exited };
}

/** Runs the CLI in its own process (another terminal) and answers its output. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "cli/bin.mjs"), ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The TCP ports a process listens on, from its socket file descriptors matched against the
 * LISTEN (state 0A) rows of /proc/net/tcp and /proc/net/tcp6.
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === "0A" && inodes.has(fields[9]!)) ports.push(parseInt(fields[1]!.split(":")[1]!, 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

/** What a bounded load saw: every response's status and request id, and when each request was sent. */
export interface LoadResult {
  responses: Array<{ sentAt: number; status: number; requestId: string }>;
  errors: number;
}

/** A running bounded load: what it has seen so far, a wait for a condition on it, and its stop. */
export interface BoundedLoad {
  /** Live: grows as responses arrive. */
  result: LoadResult;
  /** Resolves after the first response (or error) at which `condition` holds of the result. */
  until(condition: (result: LoadResult) => boolean): Promise<void>;
  /** Stops the workers after their current request and answers the final result. */
  stop(): Promise<LoadResult>;
}

/**
 * Sends GETs from `workers` concurrent loops until stopped (bounded: one request per worker at
 * a time, so at most `workers` in flight).
 */
export function boundedLoad(url: string, token: string, workers: number): BoundedLoad {
  const result: LoadResult = { responses: [], errors: 0 };
  let stopped = false;
  const waits: Array<{ condition: (result: LoadResult) => boolean; resolve: () => void }> = [];
  const progressed = () => {
    for (const wait of [...waits]) {
      if (wait.condition(result)) {
        waits.splice(waits.indexOf(wait), 1);
        wait.resolve();
      }
    }
  };
  const worker = async () => {
    while (!stopped) {
      const sentAt = Date.now();
      try {
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        result.responses.push({ sentAt, status: response.status, requestId: response.headers.get("x-request-id") ?? "" });
      } catch {
        result.errors += 1;
        if (stopped) return;
        // A refused connection fails at once: a short pause keeps a dead server from spinning the loop.
        await new Promise((r) => setTimeout(r, 20));
      }
      progressed();
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  return {
    result,
    until: (condition) => (condition(result) ? Promise.resolve() : new Promise((resolve) => waits.push({ condition, resolve }))),
    stop: () => {
      stopped = true;
      return running.then(() => result);
    },
  };
}
