import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_ENCRYPT_MAX_PLAINTEXT_BYTES } from "../functions/contracts/lambda-contract.ts";
import { secretContext } from "../schema/secret-names.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/**
 * Each secret encrypted by KMS at deploy time under the context the function decrypts with;
 * ciphertexts by name. A value over KMS Encrypt's 4,096-byte plaintext limit stops the deploy
 * (preview included) with an error naming the secret, before any function is created.
 */
export function createSecretCiphertexts(
  scope: GatewayScope,
  envelopeKey: aws.kms.Key,
  names: string[],
  secrets: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Output<string>> {
  const ciphertexts: Record<string, pulumi.Output<string>> = {};
  for (const secret of names) {
    const logical = `${scope.name}-secret-${secret.toLowerCase().replace(/_/g, "-")}`;
    const ct = new aws.kms.Ciphertext(
      logical,
      transformed(
        scope.transform.ciphertext,
        {
          keyId: envelopeKey.keyId,
          plaintext: pulumi.secret(pulumi.output(secrets[secret]!).apply((value) => checkPlaintextSize(secret, value))),
          context: secretContext(scope.definition.id, secret),
        },
        logical,
      ),
      { parent: scope.parent },
    );
    ciphertexts[secret] = ct.ciphertextBlob;
  }
  return ciphertexts;
}

/** The value, or an error when KMS Encrypt would refuse it for its size. */
export function checkPlaintextSize(name: string, value: string): string {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > KMS_ENCRYPT_MAX_PLAINTEXT_BYTES) {
    throw new Error(
      `secret ${name} is ${bytes} bytes; KMS Encrypt takes at most ${KMS_ENCRYPT_MAX_PLAINTEXT_BYTES} bytes of plaintext. Store a shorter value (a reference or a key id), or split it into several secrets`,
    );
  }
  return value;
}
