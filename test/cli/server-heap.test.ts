import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS, serverReexecArgs } from "../../cli/server-heap.ts";
import { send } from "../helpers/send.ts";
import { REPO, startServe } from "../helpers/serve-process.ts";

// What the kernel says the process runs now: after process.execve, the re-executed command line.
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);

describe("serverReexecArgs", () => {
  const argv = ["/usr/bin/node", "/app/cli/bin.mjs", "serve", "gw.ts", "--data", "d"];

  it("re-executes dev and serve with the flags, keeping node's own flags before them and the command after", () => {
    expect(serverReexecArgs("/usr/bin/node", ["--env-file=.env"], argv, undefined)).toEqual([
      "/usr/bin/node",
      "--env-file=.env",
      "--max-semi-space-size=8",
      "/app/cli/bin.mjs",
      "serve",
      "gw.ts",
      "--data",
      "d",
    ]);
    expect(serverReexecArgs("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs", "dev"], "")).toEqual([
      "/usr/bin/node",
      ...SERVER_NODE_FLAGS,
      "/app/cli/bin.mjs",
      "dev",
    ]);
  });

  it("leaves every other command alone (no second start-up for a short command)", () => {
    for (const command of ["token", "audit", "plan", "validate", "--help"]) {
      expect(serverReexecArgs("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs", command], undefined)).toBeNull();
    }
    expect(serverReexecArgs("/usr/bin/node", [], ["/usr/bin/node", "/app/cli/bin.mjs"], undefined)).toBeNull();
  });

  it("keeps a semi-space size the user chose, on node's command line or in NODE_OPTIONS (and so stops after one re-exec)", () => {
    expect(serverReexecArgs("/usr/bin/node", ["--max-semi-space-size=8"], argv, undefined)).toBeNull();
    expect(serverReexecArgs("/usr/bin/node", ["--max-semi-space-size=32"], argv, undefined)).toBeNull();
    expect(serverReexecArgs("/usr/bin/node", [], argv, "--enable-source-maps --max-semi-space-size=16")).toBeNull();
  });
});

describe("gatehouse serve's heap", () => {
  let dir: string;
  let definition: string;
  beforeAll(async () => {
    await mkdir(join(REPO, ".gatehouse"), { recursive: true });
    dir = await mkdtemp(join(REPO, ".gatehouse", "heap-"));
    definition = join(dir, "gateway.ts");
    await writeFile(
      definition,
      `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({ name: "heaptest", endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"] } } });\n`,
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("runs with 8 MB semi-spaces in the same process the operator started (same pid, still serving)", async () => {
    const serve = await startServe([definition, "--data", join(dir, "data"), "--port", "0"]);
    try {
      const pid = serve.child.pid!;
      expect(commandLine(pid)).toContain("--max-semi-space-size=8");
      expect(commandLine(pid).slice(-6)).toEqual(["serve", definition, "--data", join(dir, "data"), "--port", "0"]);
      const health = await send(`${serve.base}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
  });

  it("keeps NODE_OPTIONS' own --max-semi-space-size", async () => {
    const serve = await startServe([definition, "--data", join(dir, "data2"), "--port", "0"], { NODE_OPTIONS: "--max-semi-space-size=4" });
    try {
      expect(commandLine(serve.child.pid!)).not.toContain("--max-semi-space-size=8");
      expect((await send(`${serve.base}/healthz`)).status).toBe(200);
    } finally {
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    }
  });
});
