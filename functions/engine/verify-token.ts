import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { TokenRecord, TokenStore } from "../ports/token-store.ts";
import type { TokenHasher } from "../ports/token-hasher.ts";
import { refuse, type Refusal } from "./outcome.ts";
import type { TokenCache } from "./token-cache.ts";

/** RFC 6750: the same challenge for every kind of bad token, so a client learns nothing. */
export const BEARER_CHALLENGE = { "www-authenticate": 'Bearer realm="gatehouse"' };

/**
 * Looks the token up and checks gateway, expiry, revocation and endpoint scope. Every failure
 * but scope is the same public 401; the audit reason says which. Store failures throw (the
 * caller fails closed).
 */
export async function verifyToken(
  token: string,
  gateway: Gateway,
  endpoint: Endpoint,
  context: { store: TokenStore; cache: TokenCache; hash: TokenHasher; now: number },
): Promise<{ ok: true; record: TokenRecord } | { ok: false; refusal: Refusal; record?: TokenRecord }> {
  const hash = context.hash(token);
  let record = context.cache.get(hash, context.now);
  if (!record) {
    record = (await context.store.findByHash(hash)) ?? undefined;
    if (record) context.cache.set(hash, record, context.now);
  }
  if (!record) return invalid("unknown token", undefined);
  if (record.gatewayId !== gateway.id) return invalid("token belongs to another gateway", record);
  if (record.revokedAt !== null && record.revokedAt <= context.now) return invalid("revoked token", record);
  if (record.expiresAt !== null && record.expiresAt <= context.now) return invalid("expired token", record);
  if (record.endpoints !== null && !record.endpoints.includes(endpoint.slug)) {
    return { ok: false, refusal: refuse("TOKEN_NOT_SCOPED", `token is scoped to ${record.endpoints.join(", ")}`), record };
  }
  return { ok: true, record };
}

/** The public 401 for every token failure but scope; the record, when found, is for the audit. */
function invalid(reason: string, record: TokenRecord | undefined): { ok: false; refusal: Refusal; record?: TokenRecord } {
  return { ok: false, refusal: refuse("TOKEN_INVALID", reason, { headers: BEARER_CHALLENGE }), ...(record ? { record } : {}) };
}
