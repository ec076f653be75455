import { DecryptCommand } from "@aws-sdk/client-kms";
import type { Gateway } from "../../../schema/gateway.ts";
import { SealedSecretSource } from "../local/sealed-secret-source.ts";
import { secretContext, secretNames } from "../../../schema/secret-names.ts";
import { SecretUnavailableError, type SecretBox, type SecretSource } from "../../ports/secret-box.ts";
import type { KmsSender } from "./kms-secret-box.ts";

/** How a {@link KmsSecretSource} is built. */
export interface KmsSecretSourceOptions {
  kms: KmsSender;
  /** The envelope key the deploy encrypted the secrets with. */
  keyId: string;
  gateway: Gateway;
  /** Deploy-time ciphertexts (base64 KMS CiphertextBlob) by secret name. */
  ciphertexts: Record<string, string>;
  /** Re-seals the decrypted values so plaintext does not sit in memory between requests. */
  box: SecretBox;
}

/**
 * The deploy-time secrets of one gateway: each was encrypted by `pulumi up` with KMS under the
 * context `{ gateway, purpose: "secret", name }` (the same context the local keyring uses), so a
 * ciphertext copied to another secret or gateway does not decrypt. All of them are decrypted once
 * per cold start, on first use, then kept sealed by the (data-key) box. A failure is not cached:
 * the request gets 503 and the next one tries KMS again.
 */
export class KmsSecretSource implements SecretSource {
  private loaded: Promise<SealedSecretSource> | null = null;

  constructor(private readonly options: KmsSecretSourceOptions) {}

  /** Starts decrypting now (at cold start) so the first request does not wait for KMS. */
  warm(): void {
    this.load().catch(() => {
      // reported by the reveal that needs it
    });
  }

  async reveal(gatewayId: string, name: string): Promise<string> {
    let source;
    try {
      source = await this.load();
    } catch (error) {
      throw new SecretUnavailableError(name, `KMS could not decrypt the deployed secrets (${error instanceof Error ? error.message : "unknown error"})`);
    }
    return source.reveal(gatewayId, name);
  }

  private load(): Promise<SealedSecretSource> {
    this.loaded ??= this.decryptAll().catch((error: unknown) => {
      this.loaded = null;
      throw error;
    });
    return this.loaded;
  }

  private async decryptAll(): Promise<SealedSecretSource> {
    const { gateway, ciphertexts, kms, keyId } = this.options;
    const values: Record<string, string> = {};
    await Promise.all(
      secretNames(gateway).map(async (name) => {
        const blob = ciphertexts[name];
        if (blob === undefined) return; // SealedSecretSource.seal names every missing one
        const out = await kms.send(
          new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(blob, "base64"), EncryptionContext: secretContext(gateway.id, name) }),
        );
        if (!out.Plaintext) throw new Error(`KMS returned no plaintext for ${name}`);
        values[name] = Buffer.from(out.Plaintext).toString("utf8");
      }),
    );
    return SealedSecretSource.seal(this.options.box, [gateway], values);
  }
}
