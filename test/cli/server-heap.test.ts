import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_ENV, SERVER_NODE_FLAGS, serverReexec } from "../../cli/server-heap.ts";
import { send } from "../helpers/send.ts";
import { scratchGateway, startServe } from "../helpers/serve-process.ts";

// What the kernel says the process runs now: after process.execve, the re-executed command line.
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
// ...and its environment, as the re-exec set it.
const environment = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);

describe("serverReexec", () => {
  const argv = ["/usr/bin/node", "/app/cli/bin.mjs", "serve", "gw.ts", "--data", "d"];

  it("re-executes dev and serve with the flags and one malloc arena, keeping node's own flags before them, the command after and the rest of the environment", () => {
    expect(serverReexec("/usr/bin/node", ["--env-file=.env"], argv, { HOME: "/home/op" })).toEqual({
      args: ["/usr/bin/node", "--env-file=.env", "--max-semi-space-size=8", "/app/cli/bin.mjs", "serve", "gw.ts", "--data", "d"],
      env: { HOME: "/home/op", MALLOC_ARENA_MAX: "1" },
    });
    expect(serverReexec("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs", "dev"], { NODE_OPTIONS: "" })).toEqual({
      args: ["/usr/bin/node", ...SERVER_NODE_FLAGS, "/app/cli/bin.mjs", "dev"],
      env: { NODE_OPTIONS: "", ...SERVER_ENV },
    });
  });

  it("leaves every other command alone (no second start-up for a short command)", () => {
    for (const command of ["token", "audit", "plan", "validate", "--help"]) {
      expect(serverReexec("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs", command], {})).toBeNull();
    }
    expect(serverReexec("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs"], {})).toBeNull();
  });

  it("keeps what the user chose: a semi-space size on node's command line or in NODE_OPTIONS, MALLOC_ARENA_MAX in the environment", () => {
    // Both chosen: nothing to add, so no re-exec (this is also where the re-executed process stops).
    expect(serverReexec("/usr/bin/node", ["--max-semi-space-size=8"], argv, { MALLOC_ARENA_MAX: "1" })).toBeNull();
    expect(serverReexec("/usr/bin/node", ["--max-semi-space-size=32"], argv, { MALLOC_ARENA_MAX: "" })).toBeNull();
    expect(serverReexec("/usr/bin/node", [], argv, { NODE_OPTIONS: "--enable-source-maps --max-semi-space-size=16", MALLOC_ARENA_MAX: "4" })).toBeNull();
    // One chosen: only the other is added.
    expect(serverReexec("/usr/bin/node", ["--max-semi-space-size=32"], argv, {})).toEqual({
      args: ["/usr/bin/node", "--max-semi-space-size=32", ...argv.slice(1)],
      env: { MALLOC_ARENA_MAX: "1" },
    });
    expect(serverReexec("/usr/bin/node", [], argv, { MALLOC_ARENA_MAX: "4" })).toEqual({
      args: ["/usr/bin/node", "--max-semi-space-size=8", ...argv.slice(1)],
      env: { MALLOC_ARENA_MAX: "4" },
    });
  });
});

describe("gatehouse serve's heap", () => {
  let dir: string;
  let definition: string;
  beforeAll(async () => {
    ({ dir, definition } = await scratchGateway("heap-", "heaptest"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("runs with 8 MB semi-spaces and one malloc arena in the same process the operator started (same pid, still serving)", async () => {
    const serve = await startServe([definition, "--data", join(dir, "data"), "--port", "0"]);
    try {
      const pid = serve.child.pid!;
      expect(commandLine(pid)).toContain("--max-semi-space-size=8");
      expect(environment(pid)).toContain("MALLOC_ARENA_MAX=1");
      expect(commandLine(pid).slice(-6)).toEqual(["serve", definition, "--data", join(dir, "data"), "--port", "0"]);
      const health = await send(`${serve.base}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
  });

  it("keeps NODE_OPTIONS' own --max-semi-space-size and the environment's own MALLOC_ARENA_MAX", async () => {
    const serve = await startServe([definition, "--data", join(dir, "data2"), "--port", "0"], {
      NODE_OPTIONS: "--max-semi-space-size=4",
      MALLOC_ARENA_MAX: "2",
    });
    try {
      expect(commandLine(serve.child.pid!)).not.toContain("--max-semi-space-size=8");
      expect(environment(serve.child.pid!)).toContain("MALLOC_ARENA_MAX=2");
      expect(environment(serve.child.pid!)).not.toContain("MALLOC_ARENA_MAX=1");
      expect((await send(`${serve.base}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
  });
});
