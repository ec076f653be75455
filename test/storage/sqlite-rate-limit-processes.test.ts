import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { REPO } from "../helpers/serve-process.ts";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A worker process that has opened the store and waits for `go()`. */
async function worker(dataDir: string, count: number, cap: number, now: number): Promise<{ go: () => void; allowed: Promise<number> }> {
  const child = spawn(process.execPath, [
    join(REPO, "cli/run-ts.mjs"),
    join(import.meta.dirname, "support", "consume-worker.ts"),
    dataDir,
    String(count),
    String(cap),
    String(now),
  ]);
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk) => (err += chunk));
  const ready = new Promise<void>((resolve) =>
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes('"ready"')) resolve();
    }),
  );
  const allowed = new Promise<number>((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve((JSON.parse(out.trim().split("\n").at(-1)!) as { allowed: number }).allowed) : reject(new Error(`worker exited ${code}: ${err}`)),
    ),
  );
  await Promise.race([ready, allowed]);
  return { go: () => child.stdin.write("go\n"), allowed };
}

describe("the SQLite rate limiter across processes", () => {
  it("admits exactly the cap when three processes check the same bucket at once, and counts exactly that", { timeout: 120_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), "gatehouse-rate-processes-"));
    folders.push(folder);
    const dataDir = join(folder, "data");
    // Created first, so the workers race on checks, not on creating the file.
    openSqliteStore(dataDir).close();
    const now = Date.UTC(2026, 0, 1, 12, 30);
    const workers = await Promise.all([0, 1, 2].map(() => worker(dataDir, 1200, 1500, now)));
    for (const w of workers) w.go();
    const admitted = await Promise.all(workers.map((w) => w.allowed));
    // 3 × 1200 checks against a cap of 1500: exactly the cap, however the processes interleaved.
    expect(admitted.reduce((a, b) => a + b, 0)).toBe(1500);
    // No process can take more than its own 1200, so at least two of them shared the cap.
    expect(admitted.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const store = openSqliteStore(dataDir);
    expect(store.rateLimiter.count("gw/ep/tok_shared", "hour", now)).toBe(1500);
    store.close();
  });
});
