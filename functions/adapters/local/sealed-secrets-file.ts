import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SecretBox } from "../../ports/secret-box.ts";

/** The context a stored local secret is sealed under: it opens only as that name's value. */
const context = (name: string) => ({ purpose: "local-secret", name });

/**
 * Secret values kept on disk sealed by the local keyring (`<data>/secrets.json`, mode 0600):
 * `gatehouse secrets set NAME` writes here, so no plaintext secrets file is needed at all.
 * Writes go to a temporary file and are renamed, so a reader never sees half a file.
 */
export class SealedSecretsFile {
  constructor(
    private readonly path: string,
    private readonly box: SecretBox,
  ) {}

  /** Names stored, sorted. */
  async names(): Promise<string[]> {
    return Object.keys(await this.read()).sort();
  }

  /** Stores `value` sealed under `name`, replacing an earlier one. */
  async set(name: string, value: string): Promise<void> {
    const entries = await this.read();
    entries[name] = await this.box.seal(value, context(name));
    await this.write(entries);
  }

  /** Removes `name`; false when it was not stored. */
  async remove(name: string): Promise<boolean> {
    const entries = await this.read();
    if (!(name in entries)) return false;
    delete entries[name];
    await this.write(entries);
    return true;
  }

  /** Every stored value, opened (for sealing per gateway at start-up). */
  async openAll(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, sealed] of Object.entries(await this.read())) out[name] = await this.box.open(sealed, context(name));
    return out;
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${this.path} is not a sealed secrets file`);
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  }

  private async write(entries: Record<string, string>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFile(`${this.path}.tmp`, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    await rename(`${this.path}.tmp`, this.path);
  }
}
