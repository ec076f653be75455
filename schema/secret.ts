import { z } from "zod";

/**
 * A reference to a secret by name. A definition never holds a secret value: locally the value
 * comes from the environment (or a secrets file), in AWS from Pulumi config, encrypted with KMS.
 *
 * @example
 * inject: { authorization: secret("STRIPE_BEARER") }
 */
export interface SecretRef {
  readonly kind: "secret";
  readonly name: string;
}

const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,127}$/;

/** Zod schema of a {@link SecretRef}: upper-case environment-style names such as `STRIPE_KEY`. */
export const SecretRefSchema = z.strictObject({
  kind: z.literal("secret"),
  name: z.string().regex(SECRET_NAME, "a secret name is upper-case letters, digits and '_', starting with a letter (like STRIPE_KEY)"),
});

/**
 * Refers to the secret called `name`.
 *
 * @example
 * secret("GITHUB_CLIENT_SECRET") // { kind: "secret", name: "GITHUB_CLIENT_SECRET" }
 */
export function secret(name: string): SecretRef {
  return { kind: "secret", name };
}

/** True when `value` is a secret reference rather than a literal. */
export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "secret";
}
