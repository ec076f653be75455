import type { EncryptionContext, SecretBox } from "../ports/secret-box.ts";
import type { TokenSet } from "./parse-token-response.ts";

/**
 * The encryption context of a connection's tokens: a sealed token set opens only for the
 * gateway and connection it was sealed for (moved to another record, it does not open).
 */
export function tokenContext(gatewayId: string, connection: string): EncryptionContext {
  return { gateway: gatewayId, purpose: "oauth-tokens", connection };
}

/** The context of a connect session's PKCE verifier. */
export function verifierContext(gatewayId: string, connection: string): EncryptionContext {
  return { gateway: gatewayId, purpose: "oauth-pkce-verifier", connection };
}

/** Seals a token set for one connection. */
export function sealTokens(box: SecretBox, gatewayId: string, connection: string, tokens: TokenSet): Promise<string> {
  return box.seal(JSON.stringify(tokens), tokenContext(gatewayId, connection));
}

/** Opens a connection's sealed token set; rejects if it was sealed for anything else. */
export async function openTokens(box: SecretBox, gatewayId: string, connection: string, sealed: string): Promise<TokenSet> {
  const parsed = JSON.parse(await box.open(sealed, tokenContext(gatewayId, connection))) as TokenSet;
  if (typeof parsed.accessToken !== "string") throw new Error("the sealed token set is malformed");
  return parsed;
}
