import { DecryptCommand, EncryptCommand } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { defineGateway, secret } from "../../schema/index.ts";
import { KmsSecretBox } from "../../functions/adapters/aws/kms-secret-box.ts";
import { KmsSecretSource } from "../../functions/adapters/aws/kms-secret-source.ts";
import { SecretUnavailableError } from "../../functions/ports/secret-box.ts";
import { fakeKms } from "../contract/fake-kms.ts";

const gateway = defineGateway({
  name: "kms-secrets",
  endpoints: {
    a: { upstream: "https://a.example.com", methods: ["GET"], headers: { inject: { authorization: secret("A_TOKEN"), "x-b": secret("B_KEY") } } },
  },
});

/** Encrypts as `pulumi up` does (aws.kms.Ciphertext): KMS Encrypt under { gateway, purpose: "secret", name }. */
async function deployTimeCiphertexts(kms: ReturnType<typeof fakeKms>, values: Record<string, string>, gatewayId = gateway.id) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const r = await kms.client.send(
      new EncryptCommand({ KeyId: kms.keyId, Plaintext: Buffer.from(value), EncryptionContext: { gateway: gatewayId, purpose: "secret", name } }),
    );
    out[name] = Buffer.from(r.CiphertextBlob!).toString("base64");
  }
  return out;
}

describe("KmsSecretSource", () => {
  it("decrypts every deploy-time secret once per cold start, with the secret's context, then serves them from memory", async () => {
    const kms = fakeKms();
    const ciphertexts = await deployTimeCiphertexts(kms, { A_TOKEN: "Bearer a-123", B_KEY: "b-456" });
    kms.mock.resetHistory();
    const source = new KmsSecretSource({
      kms: kms.client,
      keyId: kms.keyId,
      gateway,
      ciphertexts,
      box: new KmsSecretBox({ kms: kms.client, keyId: kms.keyId, gatewayId: gateway.id }),
    });
    source.warm();
    const values = await Promise.all([source.reveal(gateway.id, "A_TOKEN"), source.reveal(gateway.id, "B_KEY"), source.reveal(gateway.id, "A_TOKEN")]);
    expect(values).toEqual(["Bearer a-123", "b-456", "Bearer a-123"]);
    const decrypts = kms.mock.commandCalls(DecryptCommand).map((c) => c.args[0].input.EncryptionContext);
    expect(decrypts).toEqual(
      expect.arrayContaining([
        { gateway: gateway.id, purpose: "secret", name: "A_TOKEN" },
        { gateway: gateway.id, purpose: "secret", name: "B_KEY" },
      ]),
    );
    expect(decrypts).toHaveLength(2);
  });

  it("a ciphertext made for another gateway or swapped between names does not decrypt: 503-style SecretUnavailableError naming the secret only", async () => {
    const kms = fakeKms();
    const good = await deployTimeCiphertexts(kms, { A_TOKEN: "Bearer a-123", B_KEY: "b-456" });
    const swapped = { A_TOKEN: good.B_KEY!, B_KEY: good.A_TOKEN! };
    const source = new KmsSecretSource({
      kms: kms.client,
      keyId: kms.keyId,
      gateway,
      ciphertexts: swapped,
      box: new KmsSecretBox({ kms: kms.client, keyId: kms.keyId, gatewayId: gateway.id }),
    });
    const error = await source.reveal(gateway.id, "A_TOKEN").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as Error).message).toMatch(/^secret A_TOKEN is unavailable: KMS could not decrypt/);
    expect((error as Error).message).not.toContain("a-123");
  });

  it("a failed decrypt is not cached: the next reveal asks KMS again", async () => {
    const kms = fakeKms();
    const ciphertexts = await deployTimeCiphertexts(kms, { A_TOKEN: "Bearer a-123", B_KEY: "b-456" });
    let failNext = true;
    // Fails the first Decrypt (KMS throttling), then behaves.
    const flaky = {
      send: ((command: Parameters<typeof kms.client.send>[0]) => {
        if (failNext && command instanceof DecryptCommand) {
          failNext = false;
          return Promise.reject(Object.assign(new Error("throttled"), { name: "ThrottlingException" }));
        }
        return kms.client.send(command);
      }) as typeof kms.client.send,
    };
    const source = new KmsSecretSource({
      kms: flaky,
      keyId: kms.keyId,
      gateway,
      ciphertexts,
      box: new KmsSecretBox({ kms: kms.client, keyId: kms.keyId, gatewayId: gateway.id }),
    });
    await expect(source.reveal(gateway.id, "B_KEY")).rejects.toThrow(/KMS could not decrypt the deployed secrets \(throttled\)/);
    expect(await source.reveal(gateway.id, "B_KEY")).toBe("b-456");
  });
});
