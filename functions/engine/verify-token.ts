import { errorMessage } from "../../schema/error-message.ts";
import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { TokenRecord, TokenStore } from "../ports/token-store.ts";
import type { TokenHasher } from "../ports/token-hasher.ts";
import { refuse, type Refusal } from "./outcome.ts";
import { isWellFormedToken } from "../tokens/token-format.ts";
import { BEARER_CHALLENGE } from "./read-token.ts";
import type { TokenCache } from "./token-cache.ts";

/**
 * A verified token's record, or the refusal; a failure carries the record when one was found
 * (for the audit), else null. The `StepResult` convention with that one addition.
 */
export type TokenVerdict = { ok: true; record: TokenRecord } | { ok: false; refusal: Refusal; record: TokenRecord | null };

/**
 * Looks the token up and checks gateway, expiry, revocation and endpoint scope. A token not in
 * the cache must first be well formed (prefix, length, checksum), before any store lookup.
 * Every failure but scope is the same public 401; the audit reason says which. A store failure
 * refuses the request (fails closed).
 */
export function verifyToken(
  token: string,
  gateway: Gateway,
  endpoint: Endpoint,
  context: { store: TokenStore; cache: TokenCache; hash: TokenHasher; now: number },
): TokenVerdict | Promise<TokenVerdict> {
  // A cache hit is answered without a promise: most requests of a busy client are one.
  const cached = context.cache.get(token, context.now);
  if (cached) return checkRecord(cached, gateway, endpoint, context.now);
  return lookUp(token, gateway, endpoint, context);
}

/** A token not in the cache: checked for form, then looked up by its hash and cached when found. */
async function lookUp(
  token: string,
  gateway: Gateway,
  endpoint: Endpoint,
  context: { store: TokenStore; cache: TokenCache; hash: TokenHasher; now: number },
): Promise<TokenVerdict> {
  // Only a token that passed this check is ever cached, so a hit needs neither it nor the hash.
  if (!isWellFormedToken(token)) return invalid("malformed token", null);
  let record: TokenRecord | null;
  try {
    record = await context.store.findByHash(context.hash(token));
  } catch (error) {
    return { ok: false, refusal: refuse("STORE_UNAVAILABLE", `token store failed: ${errorMessage(error)}`), record: null };
  }
  if (!record) return invalid("unknown token", null);
  context.cache.set(token, record, context.now);
  return checkRecord(record, gateway, endpoint, context.now);
}

/** Gateway, revocation, expiry and scope of a found record. */
function checkRecord(record: TokenRecord, gateway: Gateway, endpoint: Endpoint, now: number): TokenVerdict {
  if (record.gatewayId !== gateway.id) return invalid("token belongs to another gateway", record);
  if (record.revokedAt !== null && record.revokedAt <= now) return invalid("revoked token", record);
  if (record.expiresAt !== null && record.expiresAt <= now) return invalid("expired token", record);
  if (record.endpoints !== null && !record.endpoints.includes(endpoint.slug)) {
    return { ok: false, refusal: refuse("TOKEN_NOT_SCOPED", `token is scoped to ${record.endpoints.join(", ")}`), record };
  }
  return { ok: true, record };
}

/** The public 401 for every token failure but scope; the record, when found, is for the audit. */
function invalid(reason: string, record: TokenRecord | null): TokenVerdict {
  return { ok: false, refusal: refuse("TOKEN_INVALID", reason, { headers: BEARER_CHALLENGE }), record };
}
