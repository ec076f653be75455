import { randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { KmsSecretBox } from "../../functions/adapters/aws/kms-secret-box.ts";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { fakeKms } from "./fake-kms.ts";
import { secretBoxContract } from "./secret-box.contract.ts";

const GATEWAY = "2f1c0e6a-0000-5000-8000-000000000001";
const context = { gateway: GATEWAY, purpose: "secret", name: "STRIPE_BEARER" };

const localKey = randomBytes(32);
secretBoxContract("LocalSecretBox", { create: () => new LocalSecretBox(localKey) });

const kms = fakeKms();
secretBoxContract("KmsSecretBox (aws-sdk-client-mock)", {
  create: () => new KmsSecretBox({ kms: kms.client, keyId: kms.keyId, gatewayId: GATEWAY }),
});

describe("KmsSecretBox and KMS", () => {
  it("asks KMS for one AES-256 data key per box, under a context naming the gateway and purpose", async () => {
    const { client, mock, keyId } = fakeKms();
    const box = new KmsSecretBox({ kms: client, keyId, gatewayId: GATEWAY });
    await Promise.all(Array.from({ length: 20 }, (_, i) => box.seal(`v${i}`, context)));
    const calls = mock.commandCalls(GenerateDataKeyCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: { gateway: GATEWAY, purpose: "data-key" } });
    expect(mock.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it("decrypts another cold start's data key once, then opens locally", async () => {
    const { client, mock, keyId } = fakeKms();
    const sealed = await new KmsSecretBox({ kms: client, keyId, gatewayId: GATEWAY }).seal("s3cret", context);
    const later = new KmsSecretBox({ kms: client, keyId, gatewayId: GATEWAY });
    await Promise.all([later.open(sealed, context), later.open(sealed, context), later.open(sealed, context)]);
    const calls = mock.commandCalls(DecryptCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.EncryptionContext).toEqual({ gateway: GATEWAY, purpose: "data-key" });
  });

  it("a box of another gateway cannot open the value (its data-key context differs)", async () => {
    const { client, keyId } = fakeKms();
    const sealed = await new KmsSecretBox({ kms: client, keyId, gatewayId: GATEWAY }).seal("s3cret", context);
    const other = new KmsSecretBox({ kms: client, keyId, gatewayId: "another-gateway" });
    await expect(other.open(sealed, context)).rejects.toThrow("the sealed value was tampered with or sealed for another context");
  });

  it("an unavailable key rejects, and is asked again on the next call", async () => {
    const { client, mock, keyId } = fakeKms();
    const box = new KmsSecretBox({ kms: client, keyId, gatewayId: GATEWAY });
    mock.on(GenerateDataKeyCommand).rejectsOnce(Object.assign(new Error("KMS is throttling"), { name: "ThrottlingException" }));
    await expect(box.seal("x", context)).rejects.toThrow("KMS is throttling");
    mock.on(GenerateDataKeyCommand).resolves({ Plaintext: new Uint8Array(randomBytes(32)), CiphertextBlob: new Uint8Array(randomBytes(48)) });
    expect(await box.open(await box.seal("x", context), context)).toBe("x");
    expect(mock.commandCalls(GenerateDataKeyCommand)).toHaveLength(2);
  });
});
