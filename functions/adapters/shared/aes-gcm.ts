import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { canonicalJson } from "../../../schema/revision.ts";
import type { EncryptionContext } from "../../ports/secret-box.ts";

/** AES-256-GCM parts, base64url: what both secret boxes put in their sealed strings. */
export interface GcmParts {
  iv: string;
  data: string;
  tag: string;
}

/**
 * Encrypts with a fresh 12-byte IV and the encryption context (canonical JSON) as additional
 * authenticated data, so a ciphertext only opens for the purpose it was sealed for.
 */
export function gcmSeal(key: Buffer, plaintext: string, context: EncryptionContext): GcmParts {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(canonicalJson(context)));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64url"), data: data.toString("base64url"), tag: cipher.getAuthTag().toString("base64url") };
}

/** Decrypts {@link gcmSeal}'s parts; a wrong key, context or any changed byte throws. */
export function gcmOpen(key: Buffer, parts: GcmParts, context: EncryptionContext): string {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parts.iv, "base64url"));
  decipher.setAAD(Buffer.from(canonicalJson(context)));
  decipher.setAuthTag(Buffer.from(parts.tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(parts.data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the sealed value was tampered with or sealed for another context");
  }
}
