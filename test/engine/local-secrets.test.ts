import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defineGateway, secret } from "gatehouse-gateway";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { SealedSecretSource } from "../../functions/adapters/local/sealed-secret-source.ts";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const gateway = (name: string) =>
  defineGateway({
    name,
    endpoints: { a: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject: { "x-a": secret("KEY_A"), "x-b": secret("KEY_B") } } } },
  });

describe("local keyring", () => {
  it("creates its key file once, mode 0600, and reuses it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gh-keyring-"));
    dirs.push(dir);
    const path = join(dir, "nested", "keyring.key");
    const box = await LocalSecretBox.fromKeyFile(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const sealed = await box.seal("v", { gateway: "g", purpose: "p" });
    const key = await readFile(path, "utf8");
    const again = await LocalSecretBox.fromKeyFile(path);
    expect(await readFile(path, "utf8")).toBe(key);
    expect(await again.open(sealed, { gateway: "g", purpose: "p" })).toBe("v");
  });
});

describe("sealed secret source", () => {
  it("names every missing secret at once", async () => {
    const box = new LocalSecretBox(Buffer.alloc(32, 1));
    await expect(SealedSecretSource.seal(box, [gateway("one")], { KEY_A: "a" })).rejects.toThrow(
      "missing secret: KEY_B (gateway one). Set it as environment variable or in the secrets file.",
    );
    await expect(SealedSecretSource.seal(box, [gateway("one")], {})).rejects.toThrow("missing secrets: KEY_A (gateway one), KEY_B (gateway one)");
  });

  it("reveals values per gateway and keeps no plaintext in its state", async () => {
    const box = new LocalSecretBox(Buffer.alloc(32, 2));
    const one = gateway("one");
    const source = await SealedSecretSource.seal(box, [one], { KEY_A: "plain-a", KEY_B: "plain-b" });
    expect(await source.reveal(one.id, "KEY_A")).toBe("plain-a");
    await expect(source.reveal(gateway("two").id, "KEY_A")).rejects.toThrow("secret KEY_A is unavailable: not configured");
    expect(JSON.stringify([...(source as unknown as { sealed: Map<string, string> }).sealed])).not.toContain("plain-a");
  });
});
