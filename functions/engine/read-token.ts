import type { HeaderMap } from "../ports/http-types.ts";
import { isWellFormedToken } from "../tokens/token-format.ts";

/** The bearer token of a request, or why there is none (for the audit only). */
export type TokenRead = { ok: true; token: string } | { ok: false; reason: "missing" | "malformed" };

/**
 * Reads `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750 section 2.1) and
 * rejects anything that is not one well-formed Gatehouse token before any store lookup.
 */
export function readToken(headers: HeaderMap): TokenRead {
  const value = headers.authorization;
  if (value === undefined || value === "") return { ok: false, reason: "missing" };
  if (Array.isArray(value)) return { ok: false, reason: "malformed" };
  const match = /^Bearer +([^\s]+) *$/i.exec(value);
  if (!match || !isWellFormedToken(match[1]!)) return { ok: false, reason: "malformed" };
  return { ok: true, token: match[1]! };
}
