import { isBasicAuth, type InjectValue } from "../schema/inject-value.ts";
import { isSecretRef, type SecretRef } from "../schema/secret.ts";

/**
 * Where an injected header's value comes from, never the value: `a literal value`,
 * `secret NAME`, `"Bearer " + secret NAME`, or `HTTP Basic (user name: secret U, password: secret P)`.
 * A prefix is shown (it is literal text of the definition); a literal part of Basic credentials is not.
 * `name` formats a secret name (inline code in `diff`, bare in `plan`).
 *
 * @example
 * describeInjectValue(secret("STRIPE_BEARER", { prefix: "Bearer " })) // '"Bearer " + secret STRIPE_BEARER'
 */
export function describeInjectValue(value: InjectValue, name: (secretName: string) => string = (n) => n): string {
  if (typeof value === "string") return "a literal value";
  if (isBasicAuth(value)) {
    const part = (p: string | SecretRef) => (isSecretRef(p) ? `secret ${name(p.name)}` : p === "" ? "empty" : "a literal");
    return `HTTP Basic (user name: ${part(value.username)}, password: ${part(value.password)})`;
  }
  const source = `secret ${name(value.name)}`;
  return value.prefix === undefined ? source : `${JSON.stringify(value.prefix)} + ${source}`;
}
