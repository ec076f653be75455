import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { canonicalJson } from "../../../schema/revision.ts";
import type { EncryptionContext, SecretBox } from "../../ports/secret-box.ts";

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
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(canonicalJson(context)));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, iv, data, cipher.getAuthTag()].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
  }

  async open(sealed: string, context: EncryptionContext): Promise<string> {
    const [version, iv, data, tag] = sealed.split(".");
    if (version !== VERSION || !iv || data === undefined || !tag) throw new Error("not a sealed value of this keyring");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(canonicalJson(context)));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("the sealed value was tampered with or sealed for another context");
    }
  }
}
