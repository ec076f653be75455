import * as z from "zod";
import { isSecretRef, SecretRefSchema, SecretTemplateSchema, type SecretRef } from "./secret.ts";

/**
 * HTTP Basic credentials (RFC 7617) built at request time from a user name and a password, at
 * least one of them a secret: the header sent is `Basic base64(user ":" password)`, UTF-8.
 *
 * @example
 * inject: { authorization: basicAuth(secret("JIRA_USER"), secret("JIRA_TOKEN")) }
 */
export interface BasicAuth {
  readonly kind: "basic";
  /** A literal or a secret; must not contain ':' (RFC 7617 §2). */
  readonly username: string | SecretRef;
  /** A literal (possibly empty, as Stripe's key-as-user scheme wants) or a secret. */
  readonly password: string | SecretRef;
}

/**
 * Builds an HTTP Basic `Authorization` value from a user name and a password; either may be a
 * literal, but at least one must be a `secret()` (a credential never sits in a definition).
 *
 * @example
 * basicAuth(secret("USER"), secret("PASS"))  // Authorization: Basic base64(USER:PASS)
 * basicAuth(secret("STRIPE_KEY"), "")         // Stripe's key as the user name, empty password
 */
export function basicAuth(username: string | SecretRef, password: string | SecretRef): BasicAuth {
  return { kind: "basic", username, password };
}

/** What `headers.inject` maps a header to: a literal, a (prefixed) secret, or HTTP Basic credentials. */
export type InjectValue = string | SecretRef | BasicAuth;

/** Literal parts of a Basic credential: one line, and a user name without ':'. */
const basicLiteral = z.string().regex(/^[^\u0000-\u001f\u007f]*$/, "must not hold a line break or another control character");

/** Zod schema of a {@link BasicAuth}. */
export const BasicAuthSchema = z.strictObject({
  kind: z.literal("basic"),
  username: z.union([basicLiteral.refine((u) => !u.includes(":"), { error: "a Basic user name cannot contain ':' (RFC 7617)" }), SecretRefSchema], {
    error: 'username must be a string or secret("NAME")',
  }),
  password: z.union([basicLiteral, SecretRefSchema], { error: 'password must be a string or secret("NAME")' }),
});

/** Literal header values must be a single line: CR, LF and NUL would split or end the header. */
const headerValue = z.string().regex(/^[^\r\n\0]*$/, "a header value must not contain CR, LF or NUL");

/** Zod schema of an {@link InjectValue}. */
export const InjectValueSchema = z.union([headerValue, SecretTemplateSchema, BasicAuthSchema], {
  error: 'must be a string, secret("NAME") (optionally with { prefix }) or basicAuth(user, password)',
});

/** True when `value` is a {@link BasicAuth}. */
export function isBasicAuth(value: unknown): value is BasicAuth {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "basic";
}

/** The secret names one injected value reads, in the order they are used. */
export function injectSecretNames(value: InjectValue): string[] {
  if (isSecretRef(value)) return [value.name];
  if (isBasicAuth(value)) return [value.username, value.password].filter(isSecretRef).map((s) => s.name);
  return [];
}

/** True when the value needs no secret at all (a literal, or Basic made of literals only). */
export function isLiteralInject(value: unknown): boolean {
  if (typeof value === "string") return true;
  if (isBasicAuth(value)) return !isSecretRef(value.username) && !isSecretRef(value.password);
  return false;
}
