/**
 * SecretBox: seals and opens secret values bound to an encryption context (which gateway and
 * what purpose), so a ciphertext moved to another record does not open.
 *
 * Contract:
 * - `seal` returns an opaque printable string; sealing the same value twice gives different
 *   strings (random IV / data key).
 * - `open` returns the original value only with the same context; a tampered ciphertext, a
 *   different context or an unavailable key rejects with an error (the engine answers 503).
 * - Safe for concurrent use.
 */
export interface SecretBox {
  seal(plaintext: string, context: EncryptionContext): Promise<string>;
  open(sealed: string, context: EncryptionContext): Promise<string>;
}

/** Names what a ciphertext is for: at least `gateway` and `purpose`. */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * SecretSource: the values of the `secret("NAME")` references a gateway injects.
 *
 * Contract: `reveal` resolves to the value or rejects with {@link SecretUnavailableError}
 * naming the secret (never its value). A name reveals the same value for the source's whole
 * life: the engine renders each endpoint's injected headers once and keeps them (a changed
 * secret takes a new source and a new engine). Implementations keep values sealed at rest.
 */
export interface SecretSource {
  reveal(gatewayId: string, name: string): Promise<string>;
}

/** A secret could not be had: missing, or its key unavailable. Carries the name only. */
export class SecretUnavailableError extends Error {
  override name = "SecretUnavailableError";
  constructor(
    readonly secretName: string,
    why: string,
  ) {
    super(`secret ${secretName} is unavailable: ${why}`);
  }
}
