import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gatehouse-pipe-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("output into a pipe whose reader went away (| head)", () => {
  it("exits 0 with no EPIPE stack trace", async () => {
    const child = spawn(process.execPath, [join(repo, "cli/bin.mjs"), "init", "repo"], { cwd: dir });
    // The reader closes before the command writes its first line.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
