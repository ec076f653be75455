import type { Gateway } from "../../schema/gateway.ts";
import type { ConnectionError, ConnectionRecord } from "../ports/connection-store.ts";
import type { TokenFailure } from "./classify-token-error.ts";
import { misconfigured, needsReauthorization, unavailable, type Verdict } from "./connection-verdicts.ts";
import type { DecryptedTokenCache } from "./decrypted-token-cache.ts";
import type { OAuthContext } from "./oauth-context.ts";
import type { ParsedTokens, TokenSet } from "./parse-token-response.ts";
import { sealTokens } from "./token-vault.ts";

/** What a finished token request is written against: the record read under the lease and its tokens. */
export interface RefreshAttempt {
  gateway: Gateway;
  name: string;
  kind: "refresh" | "client_credentials";
  /** The record as read under the lease (null for a first client-credentials token). */
  current: ConnectionRecord | null;
  previous: TokenSet | null;
  /** The access token the upstream rejected, if that is why we refreshed. */
  rejected: string | null;
  started: number;
  /** Judges a record that someone else wrote meanwhile. */
  judge(record: ConnectionRecord | null): Promise<Verdict>;
}

type Context = Pick<OAuthContext, "store" | "box" | "clock" | "log" | "record" | "preset">;

/** The audit record of one token request: what it was, how long it took, what came of it. */
function auditAttempt(
  ctx: Context,
  attempt: RefreshAttempt,
  now: number,
  outcome: Pick<Parameters<Context["record"]>[0], "event" | "decision" | "reason" | "status" | "providerStatus">,
): Promise<void> {
  return ctx.record({
    gateway: attempt.gateway,
    connection: attempt.name,
    action: attempt.kind === "refresh" ? "refresh" : "token",
    time: attempt.started,
    durationMs: now - attempt.started,
    ...outcome,
  });
}

/**
 * Writes new tokens with a version-checked put and audits the refresh. A lost put (a newer write
 * won, e.g. after a lease outlived) re-reads and judges the stored record instead.
 */
export async function persistRefreshed(ctx: Context, cache: DecryptedTokenCache, attempt: RefreshAttempt, outcome: ParsedTokens): Promise<Verdict> {
  const { gateway, name, current } = attempt;
  const preset = ctx.preset(gateway, name);
  const now = ctx.clock.now();
  const record: ConnectionRecord = {
    gatewayId: gateway.id,
    connection: name,
    provider: preset.provider,
    connectedAt: current?.connectedAt ?? now,
    identity: current?.identity ?? null,
    version: (current?.version ?? 0) + 1,
    status: "connected",
    sealedTokens: await sealTokens(ctx.box, gateway.id, name, outcome.tokens),
    scopes: outcome.scopes ?? current?.scopes ?? preset.scopes,
    expiresAt: outcome.expiresAt,
    refreshable: outcome.tokens.refreshToken !== null,
    lastRefreshAt: now,
    lastError: null,
    updatedAt: now,
  };
  const written = await ctx.store.put(record, current?.version ?? null);
  await auditAttempt(ctx, attempt, now, {
    event: "oauth.refresh",
    decision: written ? "OK" : "REFRESH_WRITE_LOST",
    reason: written ? (attempt.rejected ? "upstream rejected the token" : "token due") : "another writer changed the connection first",
    status: 200,
    providerStatus: 200,
  });
  if (!written) {
    ctx.log.warn("oauth.refresh_write_lost", { gateway: gateway.name, connection: name });
    return attempt.judge(await ctx.store.get(gateway.id, name));
  }
  cache.set(gateway.id, name, { version: record.version, tokens: outcome.tokens, expiresAt: record.expiresAt, readAt: now });
  return { ok: true, token: outcome.tokens.accessToken };
}

/**
 * Audits a failed token request and stores what it means: a dead grant marks the connection
 * `needs_reauthorization` (unless the record moved: a stale refresh token after someone else's
 * rotation looks exactly like a dead grant), a refused client marks it `misconfigured` (grant
 * kept), a transient failure only records the error. The old token is used while still valid.
 */
export async function persistRefreshFailure(ctx: Context, attempt: RefreshAttempt, failure: TokenFailure): Promise<Verdict> {
  const { gateway, name, current, previous, rejected } = attempt;
  const now = ctx.clock.now();
  await auditAttempt(ctx, attempt, now, {
    event: "oauth.refresh_failed",
    decision: failure.class === "grant_dead" ? "GRANT_DEAD" : failure.class === "misconfigured" ? "CLIENT_MISCONFIGURED" : "PROVIDER_UNAVAILABLE",
    reason: `${failure.code}: ${failure.message}`,
    status: failure.status ?? 0,
    providerStatus: failure.status,
  });
  ctx.log.warn("oauth.refresh_failed", { gateway: gateway.name, connection: name, class: failure.class, code: failure.code });
  const lastError: ConnectionError = { class: failure.class, code: failure.code, message: failure.message, at: now };

  if (failure.class === "grant_dead") {
    const latest = await ctx.store.get(gateway.id, name);
    if ((latest?.version ?? null) !== (current?.version ?? null)) return attempt.judge(latest);
    if (current) {
      const marked = await ctx.store.put(
        { ...current, version: current.version + 1, status: "needs_reauthorization", lastError, updatedAt: now },
        current.version,
      );
      if (!marked) return attempt.judge(await ctx.store.get(gateway.id, name));
    }
    return needsReauthorization(gateway, name, lastError);
  }
  if (current) {
    const status = failure.class === "misconfigured" ? "misconfigured" : current.status;
    await ctx.store.put({ ...current, version: current.version + 1, status, lastError, updatedAt: now }, current.version);
  }
  const stillValid = previous && current && !(current.expiresAt !== null && now >= current.expiresAt) && previous.accessToken !== rejected;
  if (stillValid) return { ok: true, token: previous.accessToken };
  if (failure.class === "misconfigured") return misconfigured(name, lastError);
  return unavailable(`connection '${name}': the provider could not refresh the token (${failure.code})`);
}
