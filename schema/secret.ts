import * as z from "zod";
import { headerValueProblem } from "./headers.ts";

/**
 * A reference to a secret by name. A definition never holds a secret value: locally the value
 * comes from the environment (or a secrets file), in AWS from Pulumi config, encrypted with KMS.
 * In `headers.inject` it may carry a literal `prefix` sent before the value.
 *
 * @example
 * inject: { authorization: secret("STRIPE_BEARER", { prefix: "Bearer " }) }
 */
export interface SecretRef {
  readonly kind: "secret";
  readonly name: string;
  /** Literal text sent before the value (`"Bearer "`); only in `headers.inject`. @default none */
  readonly prefix?: string;
}

/** Options of {@link secret}. */
export interface SecretOptions {
  /**
   * Literal text the injected header carries before the secret's value, so the stored value can be
   * the bare key: `{ prefix: "Bearer " }` sends `Bearer sk_live_...`. 1–64 printable characters.
   * @default none (the value is sent as it is)
   */
  prefix?: string;
}

const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,127}$/;
const secretName = z.string().regex(SECRET_NAME, "a secret name is upper-case letters, digits and '_', starting with a letter (like STRIPE_KEY)");

/** Zod schema of a plain {@link SecretRef} (no prefix): upper-case environment-style names such as `STRIPE_KEY`. */
export const SecretRefSchema = z.strictObject({ kind: z.literal("secret"), name: secretName });

/** The longest `prefix`: a scheme name and a space, with room for vendor schemes such as `Token token=`. */
export const SECRET_PREFIX_MAX = 64;

/** Zod schema of a {@link SecretRef} in `headers.inject`, where a `prefix` is allowed. */
export const SecretTemplateSchema = z.strictObject({
  kind: z.literal("secret"),
  name: secretName,
  prefix: z
    .string({ error: 'prefix must be a string such as "Bearer "' })
    .min(1, "prefix must not be empty (leave it out to send the value as it is)")
    .max(SECRET_PREFIX_MAX, `prefix must be at most ${SECRET_PREFIX_MAX} characters`)
    .refine((p) => headerValueProblem(p) === null, { error: "prefix must not hold a line break or another control character" })
    .optional(),
});

/**
 * Refers to the secret called `name`. With `{ prefix }` (in `headers.inject` only) the header is
 * the prefix followed by the value.
 *
 * @example
 * secret("GITHUB_CLIENT_SECRET")                 // { kind: "secret", name: "GITHUB_CLIENT_SECRET" }
 * secret("STRIPE_BEARER", { prefix: "Bearer " }) // sends "Bearer <value>"
 */
export function secret(name: string, options?: SecretOptions): SecretRef {
  // No `prefix` key unless one is given: a plain reference keeps its shape and so the revision hash.
  return options?.prefix === undefined ? { kind: "secret", name } : { kind: "secret", name, prefix: options.prefix };
}

/** True when `value` is a secret reference rather than a literal. */
export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "secret";
}
