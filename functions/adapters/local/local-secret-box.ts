import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { EncryptionContext, SecretBox } from "../../ports/secret-box.ts";
import { gcmOpen, gcmSeal } from "../shared/aes-gcm.ts";

const VERSION = "v1";

/**
 * SecretBox with a local AES-256-GCM key: 12-byte random IV per seal, the encryption context
 * as additional authenticated data (so a ciphertext only opens for the purpose it was sealed
 * for). Sealed form: `v1.<iv>.<ciphertext>.<tag>`, base64url.
 */
export class LocalSecretBox implements SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the keyring key must be 32 bytes");
  }

  /**
   * Opens the key file, creating it on first run with mode 0600. A key file readable by
   * others is refused rather than used.
   */
  static async fromKeyFile(path: string): Promise<LocalSecretBox> {
    let key: Buffer;
    try {
      key = Buffer.from((await readFile(path, "utf8")).trim(), "base64");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      key = randomBytes(32);
      await writeFile(path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
      await chmod(path, 0o600);
    }
    return new LocalSecretBox(key);
  }

  async seal(plaintext: string, context: EncryptionContext): Promise<string> {
    const { iv, data, tag } = gcmSeal(this.key, plaintext, context);
    return [VERSION, iv, data, tag].join(".");
  }

  async open(sealed: string, context: EncryptionContext): Promise<string> {
    const [version, iv, data, tag, extra] = sealed.split(".");
    if (version !== VERSION || !iv || data === undefined || !tag || extra !== undefined) throw new Error("not a sealed value of this keyring");
    return gcmOpen(this.key, { iv, data, tag }, context);
  }
}
