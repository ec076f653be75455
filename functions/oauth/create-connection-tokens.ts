import { randomUUID } from "node:crypto";
import type { Gateway } from "../../schema/gateway.ts";
import type { ConnectionRecord, ConnectionError } from "../ports/connection-store.ts";
import type { ConnectionTokenResult, ConnectionTokens } from "../ports/connection-tokens.ts";
import type { TokenFailure } from "./classify-token-error.ts";
import { refreshMargin, type OAuthContext } from "./oauth-context.ts";
import { isTokenFailure, parseTokenResponse, type ParsedTokens, type TokenSet } from "./parse-token-response.ts";
import { callTokenEndpoint, type ClientCredentials } from "./token-endpoint.ts";
import { openTokens, sealTokens } from "./token-vault.ts";

/** A decrypted token kept briefly so a request does not re-read the store and re-open the box. */
interface CachedTokens {
  version: number;
  tokens: TokenSet;
  expiresAt: number | null;
  readAt: number;
}

/** Where an access-token request stands once the store has been read. */
type Verdict = ConnectionTokenResult;

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
  const cache = new Map<string, CachedTokens>();
  const { settings } = ctx;

  const due = (expiresAt: number | null, lifetimeMs: number | null, now: number) =>
    expiresAt !== null && now >= expiresAt - refreshMargin(lifetimeMs, settings.skewMs);
  const expired = (expiresAt: number | null, now: number) => expiresAt !== null && now >= expiresAt;

  async function tokensOf(record: ConnectionRecord): Promise<TokenSet | null> {
    if (!record.sealedTokens) return null;
    const key = `${record.gatewayId}#${record.connection}`;
    const cached = cache.get(key);
    if (cached && cached.version === record.version) return cached.tokens;
    const tokens = await openTokens(ctx.box, record.gatewayId, record.connection, record.sealedTokens);
    cache.set(key, { version: record.version, tokens, expiresAt: record.expiresAt, readAt: ctx.clock.now() });
    return tokens;
  }

  /** What a record gives a caller as it stands, without refreshing. */
  async function judge(gateway: Gateway, name: string, record: ConnectionRecord | null, rejected: string | null): Promise<Verdict> {
    if (!record) return notConnected(gateway, name);
    if (record.status === "needs_reauthorization") return needsReauthorization(gateway, name, record.lastError);
    const tokens = await tokensOf(record);
    const now = ctx.clock.now();
    if (!tokens || expired(record.expiresAt, now) || tokens.accessToken === rejected) {
      if (record.status === "misconfigured") return misconfigured(gateway, name, record.lastError);
      return { ok: false, status: "unavailable", message: `connection '${name}' has no usable token right now (${record.lastError?.code ?? "refresh pending"})` };
    }
    return { ok: true, token: tokens.accessToken };
  }

  async function accessToken(gateway: Gateway, name: string, options: { rejected?: string } = {}): Promise<Verdict> {
    if (!Object.hasOwn(gateway.connections, name)) return notConnected(gateway, name);
    const preset = ctx.preset(gateway, name);
    const key = `${gateway.id}#${name}`;
    const rejected = options.rejected ?? null;
    const now = ctx.clock.now();
    const cached = cache.get(key);
    if (
      cached &&
      rejected === null &&
      now - cached.readAt < settings.tokenCacheMs &&
      !due(cached.expiresAt, cached.tokens.lifetimeMs, now)
    ) {
      return { ok: true, token: cached.tokens.accessToken };
    }

    let record: ConnectionRecord | null;
    let tokens: TokenSet | null;
    try {
      record = await ctx.store.get(gateway.id, name);
      tokens = record ? await tokensOf(record) : null;
    } catch (error) {
      return unavailable(`connection store failed: ${message(error)}`);
    }
    const clientCredentials = preset.grant === "client_credentials";
    if (!record && !clientCredentials) return notConnected(gateway, name);
    if (record?.status === "needs_reauthorization") return needsReauthorization(gateway, name, record.lastError);

    const wasRejected = rejected !== null && tokens?.accessToken === rejected;
    const fresh = record !== null && tokens !== null && !wasRejected && !due(record.expiresAt, tokens.lifetimeMs, now);
    if (fresh) {
      cache.set(key, { version: record!.version, tokens: tokens!, expiresAt: record!.expiresAt, readAt: now });
      if (record!.status === "connected") return { ok: true, token: tokens!.accessToken };
    }
    if (record?.status === "misconfigured" && record.lastError && now - record.lastError.at < settings.misconfiguredCooldownMs) {
      // The provider refused our client recently; the current token is still used while it lasts.
      return fresh ? { ok: true, token: tokens!.accessToken } : misconfigured(gateway, name, record.lastError);
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
      flight = refresh(gateway, name, record?.version ?? null, wasRejected ? rejected : null).finally(() => inFlight.delete(key));
      inFlight.set(key, flight);
    }
    const verdict = await flight;
    // A caller whose rejected token is still what the shared refresh returned must not replay it.
    if (verdict.ok && verdict.token === rejected) return unavailable("the refreshed token is the one the upstream rejected");
    return verdict;
  }

  /** Steps 2-4 of the algorithm above; `seenVersion` is the version the caller judged. */
  async function refresh(gateway: Gateway, name: string, seenVersion: number | null, rejected: string | null): Promise<Verdict> {
    const owner = `${ctx.instanceId}/${randomUUID()}`;
    const waitUntil = Date.now() + settings.waitMs;
    try {
      for (;;) {
        if (await ctx.store.acquireLease(gateway.id, name, owner, ctx.clock.now(), settings.leaseMs)) break;
        const current = await ctx.store.get(gateway.id, name);
        if ((current?.version ?? null) !== seenVersion) return await judge(gateway, name, current, rejected);
        if (Date.now() > waitUntil) return unavailable(`another process has been refreshing connection '${name}' for too long`);
        await sleep(settings.pollMs);
      }
    } catch (error) {
      return unavailable(`connection store failed: ${message(error)}`);
    }
    const renewal = setInterval(() => {
      ctx.store.renewLease(gateway.id, name, owner, ctx.clock.now(), settings.leaseMs).catch(() => {});
    }, settings.leaseMs / 3);
    renewal.unref();
    try {
      return await refreshHoldingLease(gateway, name, seenVersion, rejected);
    } catch (error) {
      return unavailable(`refresh failed: ${message(error)}`);
    } finally {
      clearInterval(renewal);
      await ctx.store.releaseLease(gateway.id, name, owner).catch(() => {});
    }
  }

  async function refreshHoldingLease(gateway: Gateway, name: string, seenVersion: number | null, rejected: string | null): Promise<Verdict> {
    const preset = ctx.preset(gateway, name);
    const current = await ctx.store.get(gateway.id, name);
    if ((current?.version ?? null) !== seenVersion) return judge(gateway, name, current, rejected);
    if (current?.status === "needs_reauthorization") return needsReauthorization(gateway, name, current.lastError);
    const previous = current ? await tokensOf(current) : null;

    let client: ClientCredentials;
    try {
      client = await ctx.client(gateway, name);
    } catch (error) {
      return { ok: false, status: "misconfigured", message: `connection '${name}': ${message(error)}` };
    }
    const started = ctx.clock.now();
    const kind = preset.grant === "client_credentials" ? "client_credentials" : "refresh";
    const outcome = await requestWithRetry(gateway, name, client, kind, previous);
    const now = ctx.clock.now();
    const base = {
      gatewayId: gateway.id,
      connection: name,
      provider: preset.provider,
      connectedAt: current?.connectedAt ?? now,
      identity: current?.identity ?? null,
    };

    if (!isTokenFailure(outcome)) {
      const record: ConnectionRecord = {
        ...base,
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
      await ctx.record({
        event: "oauth.refresh",
        gateway,
        connection: name,
        action: kind === "refresh" ? "refresh" : "token",
        time: started,
        durationMs: now - started,
        decision: written ? "OK" : "REFRESH_WRITE_LOST",
        reason: written ? (rejected ? "upstream rejected the token" : "token due") : "another writer changed the connection first",
        status: 200,
        providerStatus: 200,
      });
      if (!written) {
        // Our rotation lost to a newer write (a lease outlived): the stored token is the newer one.
        ctx.log.warn("oauth.refresh_write_lost", { gateway: gateway.name, connection: name });
        return judge(gateway, name, await ctx.store.get(gateway.id, name), rejected);
      }
      cache.set(`${gateway.id}#${name}`, { version: record.version, tokens: outcome.tokens, expiresAt: record.expiresAt, readAt: now });
      return { ok: true, token: outcome.tokens.accessToken };
    }

    const failure = outcome;
    await ctx.record({
      event: "oauth.refresh_failed",
      gateway,
      connection: name,
      action: kind === "refresh" ? "refresh" : "token",
      time: started,
      durationMs: now - started,
      decision: failure.class === "grant_dead" ? "GRANT_DEAD" : failure.class === "misconfigured" ? "CLIENT_MISCONFIGURED" : "PROVIDER_UNAVAILABLE",
      reason: `${failure.code}: ${failure.message}`,
      status: failure.status ?? 0,
      providerStatus: failure.status,
    });
    ctx.log.warn("oauth.refresh_failed", { gateway: gateway.name, connection: name, class: failure.class, code: failure.code });
    const lastError: ConnectionError = { class: failure.class, code: failure.code, message: failure.message, at: now };

    if (failure.class === "grant_dead") {
      // Race recovery: a stale refresh token after someone else's rotation looks exactly like a dead grant.
      const latest = await ctx.store.get(gateway.id, name);
      if ((latest?.version ?? null) !== (current?.version ?? null)) return judge(gateway, name, latest, rejected);
      if (current) {
        const marked = await ctx.store.put({ ...current, version: current.version + 1, status: "needs_reauthorization", lastError, updatedAt: now }, current.version);
        if (!marked) return judge(gateway, name, await ctx.store.get(gateway.id, name), rejected);
      }
      return needsReauthorization(gateway, name, lastError);
    }
    if (current) {
      const status = failure.class === "misconfigured" ? "misconfigured" : current.status;
      await ctx.store.put({ ...current, version: current.version + 1, status, lastError, updatedAt: now }, current.version);
    }
    const stillValid = previous && current && !expired(current.expiresAt, now) && previous.accessToken !== rejected;
    if (stillValid) return { ok: true, token: previous.accessToken };
    if (failure.class === "misconfigured") return misconfigured(gateway, name, lastError);
    return unavailable(`connection '${name}': the provider could not refresh the token (${failure.code})`);
  }

  /** One token request, repeated with backoff while the failure is transient. */
  async function requestWithRetry(
    gateway: Gateway,
    name: string,
    client: ClientCredentials,
    kind: "refresh" | "client_credentials",
    previous: TokenSet | null,
  ): Promise<ParsedTokens | TokenFailure> {
    const preset = ctx.preset(gateway, name);
    const params: Record<string, string> =
      kind === "refresh"
        ? { grant_type: "refresh_token", refresh_token: previous!.refreshToken! }
        : { grant_type: "client_credentials", ...(preset.scopes.length ? { scope: preset.scopes.join(preset.scopeSeparator) } : {}) };
    let last: TokenFailure | null = null;
    for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
      const reply = await callTokenEndpoint(ctx.http, preset, client, params, () => ctx.clock.now());
      const parsed = reply.ok ? parseTokenResponse(preset, reply.body, reply.sentAt, kind, previous) : reply.failure;
      if (!isTokenFailure(parsed)) return parsed;
      last = parsed;
      if (parsed.class !== "transient" || attempt === settings.maxAttempts) break;
      const backoff = settings.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      const wait = parsed.retryAfterMs ?? backoff;
      if (wait > settings.maxRetryWaitMs) break;
      ctx.log.info("oauth.refresh_retry", { gateway: gateway.name, connection: name, attempt, code: parsed.code, waitMs: Math.round(wait) });
      await sleep(wait);
    }
    return last!;
  }

  /** Drops the cached token of a connection (after a reconnect in this process). */
  const forget = (gatewayId: string, connection: string) => {
    cache.delete(`${gatewayId}#${connection}`);
  };

  return { accessToken, forget };
}

function reconnectHint(gateway: Gateway, name: string): string {
  return `an operator reconnects it with: gatehouse connect ${gateway.name} ${name}`;
}

function notConnected(gateway: Gateway, name: string): Verdict {
  return { ok: false, status: "not_connected", message: `connection '${name}' is not connected; ${reconnectHint(gateway, name)}` };
}

function needsReauthorization(gateway: Gateway, name: string, error: ConnectionError | null): Verdict {
  return {
    ok: false,
    status: "needs_reauthorization",
    message: `connection '${name}' needs re-authorization${error ? ` (${error.code})` : ""}; ${reconnectHint(gateway, name)}`,
  };
}

function misconfigured(_gateway: Gateway, name: string, error: ConnectionError | null): Verdict {
  return { ok: false, status: "misconfigured", message: `connection '${name}': the provider refused the OAuth client${error ? ` (${error.code})` : ""}` };
}

function unavailable(text: string): Verdict {
  return { ok: false, status: "unavailable", message: text };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
