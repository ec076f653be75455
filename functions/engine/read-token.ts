import type { HeaderMap } from "../ports/http-types.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

/** RFC 6750: the same challenge for every kind of bad token, so a client learns nothing. */
export const BEARER_CHALLENGE = { "www-authenticate": 'Bearer realm="gatehouse"' };

/**
 * Reads `Authorization: Bearer <token>` (scheme case-insensitive, RFC 6750 section 2.1): one
 * credential, or a refusal whose audit reason says whether it was missing or malformed. Its
 * form (prefix, length, checksum) is checked by `verifyToken` when it is not in the cache.
 */
export function readToken(headers: HeaderMap): StepResult<{ token: string }> {
  const value = headers.authorization;
  if (value === undefined || value === "") return invalid("missing token");
  if (Array.isArray(value)) return invalid("malformed token");
  const match = /^Bearer +([^\s]+) *$/i.exec(value);
  if (!match) return invalid("malformed token");
  return { ok: true, token: match[1]! };
}

function invalid(reason: string): { ok: false; refusal: ReturnType<typeof refuse> } {
  return refused(refuse("TOKEN_INVALID", reason, { headers: BEARER_CHALLENGE }));
}
