import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_FILE_NAME } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { main } from "../../cli/main.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { recordingIo } from "../helpers/recording-io.ts";

const repo = join(import.meta.dirname, "..", "..");
let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "gatehouse-store-errors-"));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

// The gateway by UUID: a name no source knows is refused before any store is opened.
const ACME = gatewayIdFromName("acme");
const COMMANDS: Array<[string, string[]]> = [
  ["token", ["token", "list", "--gateway", ACME]],
  ["audit", ["audit"]],
  ["connections", ["connections", "list", ACME]],
  ["connect", ["connect", ACME, "github"]],
  ["dev", ["dev", join(repo, "examples", "quickstart", "gateway.ts"), "--port", "0"]],
];

describe("store-using commands on a store they cannot use", () => {
  it.each(COMMANDS)("%s: a garbage store file is one line on stderr naming the folder, exit 1, no stack", async (name, args) => {
    const data = join(workdir, `garbage-${name}`);
    await mkdir(data, { recursive: true });
    await writeFile(join(data, STORE_FILE_NAME), "garbage, not SQLite\n".repeat(64));
    const io = recordingIo(workdir, { QUICKSTART_DEMO_KEY: "demo" });
    expect(await main([...args, "--data", data], io)).toBe(1);
    const lines = errorLines(io.stderr(), name);
    expect(lines[0]).toBe(
      `gatehouse ${name}: the store ${join(data, STORE_FILE_NAME)} cannot be used: file is not a database. Gatehouse does not run on a damaged store. ` +
        `Stop every gatehouse process using ${data}, then restore ${STORE_FILE_NAME} from a backup (examples/self-hosted/README.md), or move it away to start with an empty store and create tokens again`,
    );
  });

  it.each(COMMANDS)("%s: a folder of the dynalite store is refused with the steps, exit 1", async (name, args) => {
    const data = join(workdir, `legacy-${name}`);
    await mkdir(join(data, "dynamo"), { recursive: true });
    // An empty store.json: the earlier store waited on it forever.
    await writeFile(join(data, "store.json"), "");
    const io = recordingIo(workdir, { QUICKSTART_DEMO_KEY: "demo" });
    expect(await main([...args, "--data", data], io)).toBe(1);
    const lines = errorLines(io.stderr(), name);
    expect(lines[0]).toContain(`gatehouse ${name}: ${data} holds the store of an earlier Gatehouse (store.json, dynamo: dynalite)`);
  });
});

/** The command's error lines (dev warns about the quickstart's loopback allowance first); never a stack frame. */
function errorLines(stderr: string, name: string): string[] {
  expect(stderr).not.toMatch(/^\s+at /m);
  const lines = stderr
    .trim()
    .split("\n")
    .filter((line) => line.startsWith(`gatehouse ${name}:`));
  expect(lines).toHaveLength(1);
  return lines;
}
