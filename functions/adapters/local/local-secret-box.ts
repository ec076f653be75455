import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
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

  /** The sealed-values file that lives next to a keyring, by name (see `gatehouse secrets`). */
  static readonly SEALED_FILE = "secrets.json";

  /**
   * Opens the key file, creating it on first run with mode 0600. A key file readable by
   * others is refused rather than used.
   */
  static async fromKeyFile(path: string): Promise<LocalSecretBox> {
    let key: Buffer;
    try {
      const text = (await readFile(path, "utf8")).trim();
      key = Buffer.from(text, "base64");
      // Base64 of 32 bytes is 44 characters; anything else was not written by us.
      if (key.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(text)) {
        throw new KeyringError(`${path} is not a Gatehouse keyring (expected 32 bytes in base64): restore it from your backup; nothing was overwritten`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // A new key cannot open what the lost one sealed: say so instead of making one.
      const sealed = join(dirname(path), LocalSecretBox.SEALED_FILE);
      if (existsSync(sealed)) {
        throw new KeyringError(
          `${path} is missing but ${sealed} holds values sealed with it: restore the keyring from your backup (or delete ${LocalSecretBox.SEALED_FILE} and set the secrets again); nothing was changed`,
        );
      }
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

/** A keyring file that is missing or damaged: the message names the file and what to do. */
export class KeyringError extends Error {
  override name = "KeyringError";
}
