import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secretContext } from "../schema/secret-names.ts";
import { transformed, type GatewayScope } from "./gateway-scope.ts";

/** Each secret encrypted by KMS at deploy time under the context the function decrypts with; ciphertexts by name. */
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
      transformed(scope.transform.ciphertext, { keyId: envelopeKey.keyId, plaintext: pulumi.secret(secrets[secret]!), context: secretContext(scope.definition.id, secret) }, logical),
      { parent: scope.parent },
    );
    ciphertexts[secret] = ct.ciphertextBlob;
  }
  return ciphertexts;
}
