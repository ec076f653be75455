import { randomBytes } from "node:crypto";
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";

/** A KMS error as the SDK raises it (matched by `name`). */
function kmsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: "client" });
}

const sameContext = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * An in-memory KMS behind aws-sdk-client-mock: GenerateDataKey / Encrypt / Decrypt with the
 * encryption context enforced the way KMS enforces it (a different context is
 * InvalidCiphertextException). Ciphertext blobs are random handles, never the plaintext.
 */
export function fakeKms(keyId = "arn:aws:kms:eu-west-1:123456789012:key/test-envelope") {
  const blobs = new Map<string, { plaintext: Uint8Array; context: Record<string, string> | undefined }>();
  const client = new KMSClient({ region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const mock = mockClient(client);
  const remember = (plaintext: Uint8Array, context: Record<string, string> | undefined) => {
    const blob = randomBytes(48);
    blobs.set(blob.toString("hex"), { plaintext, context });
    return new Uint8Array(blob);
  };
  mock.on(GenerateDataKeyCommand).callsFake((input) => {
    if (input.KeyId !== keyId) throw kmsError("NotFoundException", `key ${input.KeyId} not found`);
    const plaintext = new Uint8Array(randomBytes(32));
    return { KeyId: keyId, Plaintext: plaintext, CiphertextBlob: remember(plaintext, input.EncryptionContext) };
  });
  mock.on(EncryptCommand).callsFake((input) => {
    if (input.KeyId !== keyId) throw kmsError("NotFoundException", `key ${input.KeyId} not found`);
    return { KeyId: keyId, CiphertextBlob: remember(new Uint8Array(input.Plaintext!), input.EncryptionContext) };
  });
  mock.on(DecryptCommand).callsFake((input) => {
    const entry = blobs.get(Buffer.from(input.CiphertextBlob!).toString("hex"));
    if (!entry || !sameContext(entry.context, input.EncryptionContext)) throw kmsError("InvalidCiphertextException", "invalid ciphertext");
    return { KeyId: keyId, Plaintext: entry.plaintext };
  });
  return { client, mock, keyId };
}
