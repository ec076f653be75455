import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { EncryptionContext, SecretBox } from "../../ports/secret-box.ts";
import { gcmOpen, gcmSeal } from "../shared/aes-gcm.ts";

const VERSION = "k1";

/** What KMS calls need; tests pass an aws-sdk-client-mock'ed client. */
export type KmsSender = Pick<KMSClient, "send">;

/** How a {@link KmsSecretBox} is built. */
export interface KmsSecretBoxOptions {
  kms: KmsSender;
  /** The envelope key (ARN, id or alias). */
  keyId: string;
  /** The gateway id: named in every data key's KMS encryption context (the IAM condition pins it). */
  gatewayId: string;
}

/**
 * SecretBox by envelope encryption. One data key per cold start (KMS GenerateDataKey, AES-256,
 * under the context `{ gateway, purpose: "data-key" }`), then AES-256-GCM locally with the
 * caller's context as additional authenticated data, so sealing costs no KMS call and a value
 * only opens for the purpose it was sealed for. The sealed form carries its encrypted data key:
 * `k1.<encrypted data key>.<iv>.<ciphertext>.<tag>` (base64url); opening a value sealed by
 * another cold start costs one KMS Decrypt per distinct data key, then it is cached.
 */
export class KmsSecretBox implements SecretBox {
  private dataKey: Promise<{ plaintext: Buffer; encrypted: string }> | null = null;
  private readonly opened = new Map<string, Promise<Buffer>>();

  constructor(private readonly options: KmsSecretBoxOptions) {}

  /** The KMS encryption context of this box's data keys. */
  get keyContext(): Record<string, string> {
    return { gateway: this.options.gatewayId, purpose: "data-key" };
  }

  async seal(plaintext: string, context: EncryptionContext): Promise<string> {
    const key = await this.currentKey();
    const { iv, data, tag } = gcmSeal(key.plaintext, plaintext, context);
    return [VERSION, key.encrypted, iv, data, tag].join(".");
  }

  async open(sealed: string, context: EncryptionContext): Promise<string> {
    const [version, encrypted, iv, data, tag, extra] = sealed.split(".");
    if (version !== VERSION || !encrypted || !iv || data === undefined || !tag || extra !== undefined) {
      throw new Error("not a value sealed by the KMS secret box");
    }
    return gcmOpen(await this.dataKeyFor(encrypted), { iv, data, tag }, context);
  }

  private currentKey(): Promise<{ plaintext: Buffer; encrypted: string }> {
    // One GenerateDataKey per box (per cold start); a failure is not cached, so the next call retries.
    this.dataKey ??= this.generate().catch((error: unknown) => {
      this.dataKey = null;
      throw error;
    });
    return this.dataKey;
  }

  private async generate(): Promise<{ plaintext: Buffer; encrypted: string }> {
    const out = await this.options.kms.send(new GenerateDataKeyCommand({ KeyId: this.options.keyId, KeySpec: "AES_256", EncryptionContext: this.keyContext }));
    if (!out.Plaintext || !out.CiphertextBlob || out.Plaintext.length !== 32) throw new Error("KMS returned no usable data key");
    const plaintext = Buffer.from(out.Plaintext);
    const encrypted = Buffer.from(out.CiphertextBlob).toString("base64url");
    this.opened.set(encrypted, Promise.resolve(plaintext));
    return { plaintext, encrypted };
  }

  private dataKeyFor(encrypted: string): Promise<Buffer> {
    let key = this.opened.get(encrypted);
    if (!key) {
      key = this.decryptKey(encrypted);
      this.opened.set(encrypted, key);
      key.catch(() => this.opened.delete(encrypted));
    }
    return key;
  }

  private async decryptKey(encrypted: string): Promise<Buffer> {
    let out;
    try {
      out = await this.options.kms.send(
        new DecryptCommand({ KeyId: this.options.keyId, CiphertextBlob: Buffer.from(encrypted, "base64url"), EncryptionContext: this.keyContext }),
      );
    } catch (error) {
      // KMS says InvalidCiphertextException for a tampered key blob: same answer as a tampered value.
      const name = (error as { name?: unknown } | null)?.name;
      if (name === "InvalidCiphertextException") throw new Error("the sealed value was tampered with or sealed for another context");
      throw error;
    }
    if (out.Plaintext?.length !== 32) throw new Error("KMS returned no usable data key");
    return Buffer.from(out.Plaintext);
  }
}
