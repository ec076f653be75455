import { createHash, randomBytes } from "node:crypto";

/**
 * A PKCE pair (RFC 7636, S256). The verifier is 64 characters: above Discord's strictly enforced
 * minimum of 43 and below the maximum of 128.
 */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}
