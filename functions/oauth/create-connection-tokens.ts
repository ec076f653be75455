import type { Gateway } from "../../schema/gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";
import type { ConnectionRecord } from "../ports/connection-store.ts";
import type { ConnectionTokens } from "../ports/connection-tokens.ts";
import { withConnectionLease } from "./connection-lease.ts";
import { misconfigured, needsReauthorization, notConnected, unavailable, type Verdict } from "./connection-verdicts.ts";
import { DecryptedTokenCache } from "./decrypted-token-cache.ts";
import { refreshMargin, type OAuthContext } from "./oauth-context.ts";
import { isTokenFailure, type TokenSet } from "./parse-token-response.ts";
import { persistRefreshed, persistRefreshFailure } from "./persist-refresh-outcome.ts";
import { requestTokensWithRetry } from "./request-tokens-with-retry.ts";
import type { ClientCredentials } from "./token-endpoint.ts";

/**
 * ConnectionTokens over a ConnectionStore (see the port's contract). A token is refreshed when it
 * is due (expiry minus a margin) or when the upstream rejected it. One refresh per connection at
 * a time, everywhere:
 *
 * 1. in-process single flight: concurrent callers of one process share one refresh promise;
 * 2. across processes, a lease in the store (owner + expiry, renewed every third of its life
 *    while the refresh runs); a caller that cannot take it polls the record until its version
 *    moves (someone refreshed: use their token) or the lease frees up;
 * 3. after taking the lease the record is read again, and if its version moved the refresh is
 *    skipped; the new tokens are written with a version-checked put (a lost put re-reads);
 * 4. on a dead grant the record is read once more: a version that moved means another worker
 *    rotated the token (our refresh token was simply stale), and its result is used.
 *
 * Failures: grant dead -> `needs_reauthorization` (stored; no more refreshes); client
 * misconfigured -> `misconfigured` (stored, the grant kept, retried after a cool-down);
 * transient -> bounded retries with backoff, then `unavailable` unless the old token is still
 * valid, which is then used.
 */
export function createConnectionTokens(ctx: OAuthContext): ConnectionTokens & { forget(gatewayId: string, connection: string): void } {
  const inFlight = new Map<string, Promise<Verdict>>();
  const cache = new DecryptedTokenCache(ctx.box);
  const { settings } = ctx;

  const due = (expiresAt: number | null, lifetimeMs: number | null, now: number) =>
    expiresAt !== null && now >= expiresAt - refreshMargin(lifetimeMs, settings.skewMs);
  const expired = (expiresAt: number | null, now: number) => expiresAt !== null && now >= expiresAt;

  /** What a record gives a caller as it stands, without refreshing. */
  async function judge(gateway: Gateway, name: string, record: ConnectionRecord | null, rejected: string | null): Promise<Verdict> {
    if (!record) return notConnected(gateway, name);
    if (record.status === "needs_reauthorization") return needsReauthorization(gateway, name, record.lastError);
    const tokens = await cache.open(record, ctx.clock.now());
    const now = ctx.clock.now();
    if (!tokens || expired(record.expiresAt, now) || tokens.accessToken === rejected) {
      if (record.status === "misconfigured") return misconfigured(name, record.lastError);
      return unavailable(`connection '${name}' has no usable token right now (${record.lastError?.code ?? "refresh pending"})`);
    }
    return { ok: true, token: tokens.accessToken };
  }

  async function accessToken(gateway: Gateway, name: string, options: { rejected?: string } = {}): Promise<Verdict> {
    if (!Object.hasOwn(gateway.connections, name)) return notConnected(gateway, name);
    const preset = ctx.preset(gateway, name);
    const key = `${gateway.id}#${name}`;
    const rejected = options.rejected ?? null;
    const now = ctx.clock.now();
    const cached = cache.get(gateway.id, name);
    if (cached && rejected === null && now - cached.readAt < settings.tokenCacheMs && !due(cached.expiresAt, cached.tokens.lifetimeMs, now)) {
      return { ok: true, token: cached.tokens.accessToken };
    }

    let record: ConnectionRecord | null;
    let tokens: TokenSet | null;
    try {
      record = await ctx.store.get(gateway.id, name);
      tokens = record ? await cache.open(record, now) : null;
    } catch (error) {
      return unavailable(`connection store failed: ${errorMessage(error)}`);
    }
    const clientCredentials = preset.grant === "client_credentials";
    if (!record && !clientCredentials) return notConnected(gateway, name);
    if (record?.status === "needs_reauthorization") return needsReauthorization(gateway, name, record.lastError);

    const wasRejected = rejected !== null && tokens?.accessToken === rejected;
    const fresh = record !== null && tokens !== null && !wasRejected && !due(record.expiresAt, tokens.lifetimeMs, now);
    if (fresh) {
      cache.set(gateway.id, name, { version: record!.version, tokens: tokens!, expiresAt: record!.expiresAt, readAt: now });
      if (record!.status === "connected") return { ok: true, token: tokens!.accessToken };
    }
    if (record?.status === "misconfigured" && record.lastError && now - record.lastError.at < settings.misconfiguredCooldownMs) {
      // The provider refused our client recently; the current token is still used while it lasts.
      return fresh ? { ok: true, token: tokens!.accessToken } : misconfigured(name, record.lastError);
    }
    if (fresh) return { ok: true, token: tokens!.accessToken };
    if (!clientCredentials && !tokens?.refreshToken) {
      // Nothing to refresh with: an expired token means the grant is over; a rejected one is
      // passed on as it is (the upstream's 401 reaches the client).
      if (record && tokens && expired(record.expiresAt, now)) return needsReauthorization(gateway, name, record.lastError);
      if (tokens) return { ok: true, token: tokens.accessToken };
      return notConnected(gateway, name);
    }

    let flight = inFlight.get(key);
    if (!flight) {
      const seen = record?.version ?? null;
      const rejectedNow = wasRejected ? rejected : null;
      flight = withConnectionLease(
        ctx,
        gateway,
        name,
        seen,
        (current) => judge(gateway, name, current, rejectedNow),
        () => refreshHoldingLease(gateway, name, seen, rejectedNow),
      ).finally(() => inFlight.delete(key));
      inFlight.set(key, flight);
    }
    const verdict = await flight;
    // A caller whose rejected token is still what the shared refresh returned must not replay it.
    if (verdict.ok && verdict.token === rejected) return unavailable("the refreshed token is the one the upstream rejected");
    return verdict;
  }

  /** Steps 3-4 of the algorithm above, holding the lease; `seenVersion` is the version the caller judged. */
  async function refreshHoldingLease(gateway: Gateway, name: string, seenVersion: number | null, rejected: string | null): Promise<Verdict> {
    const preset = ctx.preset(gateway, name);
    const current = await ctx.store.get(gateway.id, name);
    if ((current?.version ?? null) !== seenVersion) return judge(gateway, name, current, rejected);
    if (current?.status === "needs_reauthorization") return needsReauthorization(gateway, name, current.lastError);
    const previous = current ? await cache.open(current, ctx.clock.now()) : null;

    let client: ClientCredentials;
    try {
      client = await ctx.client(gateway, name);
    } catch (error) {
      return { ok: false, status: "misconfigured", message: `connection '${name}': ${errorMessage(error)}` };
    }
    const started = ctx.clock.now();
    const kind = preset.grant === "client_credentials" ? "client_credentials" : "refresh";
    const outcome = await requestTokensWithRetry(ctx, gateway, name, client, kind, previous);
    const attempt = {
      gateway,
      name,
      kind,
      current,
      previous,
      rejected,
      started,
      judge: (record: ConnectionRecord | null) => judge(gateway, name, record, rejected),
    } as const;
    return isTokenFailure(outcome) ? persistRefreshFailure(ctx, attempt, outcome) : persistRefreshed(ctx, cache, attempt, outcome);
  }

  /** Drops the cached token of a connection (after a reconnect in this process). */
  const forget = (gatewayId: string, connection: string) => cache.forget(gatewayId, connection);

  return { accessToken, forget };
}
