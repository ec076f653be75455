import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { SealedSecretsFile } from "../../functions/adapters/local/sealed-secrets-file.ts";
import { recordGateways } from "../../cli/gateway-names.ts";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

// Issue 15 item 9: a damaged data folder must say which file and what to do, in one line, and
// overwrite nothing; before, a deleted keyring was silently replaced (then every sealed value
// failed as "tampered with"), a garbled one said "must be 32 bytes" without a path, and a
// garbled gateways.json was read as empty and rewritten.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gatehouse-damage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withStoredSecret(): Promise<void> {
  const file = new SealedSecretsFile(join(dir, "secrets.json"), await LocalSecretBox.fromKeyFile(join(dir, "keyring.key")));
  await file.set("API_KEY", "k-stored");
}

/** The command's stderr: one line (plus nothing), naming `path`. */
async function failsWithOneLine(argv: string[], path: string, advice: RegExp): Promise<void> {
  const io = recordingIo(dir);
  expect(await main(argv, io)).toBe(1);
  const lines = io.stderr().trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(advice);
  expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/); // no stack
}

describe("keyring.key", () => {
  it("deleted while secrets.json holds values: refused, naming both files; no new keyring is made", async () => {
    await withStoredSecret();
    await unlink(join(dir, "keyring.key"));
    await failsWithOneLine(["secrets", "list", "--data", dir], join(dir, "keyring.key"), /secrets\.json.*restore/);
    expect(existsSync(join(dir, "keyring.key"))).toBe(false);
    await expect(LocalSecretBox.fromKeyFile(join(dir, "keyring.key"))).rejects.toThrow(/restore/);
    expect(existsSync(join(dir, "keyring.key"))).toBe(false);
  });

  it("still made on first use when nothing was sealed with it", async () => {
    const box = await LocalSecretBox.fromKeyFile(join(dir, "keyring.key"));
    expect(await box.open(await box.seal("x", { purpose: "t" }), { purpose: "t" })).toBe("x");
    expect(existsSync(join(dir, "keyring.key"))).toBe(true);
  });

  it("garbled: refused naming the path, the file left as it was", async () => {
    await withStoredSecret();
    await writeFile(join(dir, "keyring.key"), "this is not a key\n", { mode: 0o600 });
    await failsWithOneLine(["secrets", "list", "--data", dir], join(dir, "keyring.key"), /not a Gatehouse keyring.*restore/);
    expect(await readFile(join(dir, "keyring.key"), "utf8")).toBe("this is not a key\n");
  });
});

describe("gateways.json", () => {
  it("garbled: not read as empty and not rewritten; commands name the file", async () => {
    await writeFile(join(dir, "gateways.json"), '{"acme": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",', { mode: 0o600 });
    await failsWithOneLine(["token", "list", "--gateway", "acme", "--data", dir], join(dir, "gateways.json"), /not valid JSON.*fix or delete/);
    await expect(recordGateways(dir, [{ name: "other", id: "2b4e28ba-2fa1-11d2-883f-0016d3cca427" }])).rejects.toThrow(/gateways\.json/);
    expect(await readFile(join(dir, "gateways.json"), "utf8")).toBe('{"acme": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",');
  });
});
