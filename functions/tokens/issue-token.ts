import type { TokenRecord, TokenStore } from "../ports/token-store.ts";
import { hashToken, mintToken, newTokenId } from "./token-format.ts";

/** What a caller asks for when creating a token. */
export interface TokenRequest {
  gatewayId: string;
  label: string;
  /** Endpoint slugs; omitted or null for every endpoint. */
  endpoints?: string[] | null;
  expiresAt?: number | null;
  now: number;
  /** The id of the token this one replaces (set by {@link rotateToken}). */
  rotatedFrom?: string;
}

/** Creates and stores a client token. The returned `token` exists nowhere else: show it once. */
export async function issueToken(store: TokenStore, request: TokenRequest): Promise<{ token: string; record: TokenRecord }> {
  const token = mintToken();
  const record: TokenRecord = {
    id: newTokenId(),
    hash: hashToken(token),
    gatewayId: request.gatewayId,
    label: request.label,
    endpoints: request.endpoints?.length ? [...request.endpoints] : null,
    createdAt: request.now,
    expiresAt: request.expiresAt ?? null,
    revokedAt: null,
    ...(request.rotatedFrom ? { rotatedFrom: request.rotatedFrom } : {}),
  };
  await store.create(record);
  return { token, record };
}

/**
 * Issues a replacement for token `id` with the same gateway, label and scope, and lets the old
 * one live on for `overlapMs` so clients can switch without downtime.
 */
export async function rotateToken(
  store: TokenStore,
  id: string,
  options: { overlapMs: number; now: number },
): Promise<{ token: string; record: TokenRecord; previous: TokenRecord } | null> {
  const previous = await store.findById(id);
  if (!previous || previous.revokedAt !== null) return null;
  const { token, record } = await issueToken(store, {
    gatewayId: previous.gatewayId,
    label: previous.label,
    endpoints: previous.endpoints,
    expiresAt: previous.expiresAt,
    now: options.now,
    rotatedFrom: id,
  });
  const overlapEnd = options.now + options.overlapMs;
  const expiresAt = previous.expiresAt === null ? overlapEnd : Math.min(previous.expiresAt, overlapEnd);
  await store.setExpiry(id, expiresAt);
  return { token, record, previous: { ...previous, expiresAt } };
}
