import { randomUUID } from "node:crypto";
import { checkUpstreamUrlStatic } from "../../schema/ssrf/check-upstream-url-static.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { AuditSink } from "../ports/audit-sink.ts";
import { systemClock, type Clock } from "../ports/clock.ts";
import type { ConnectionStore } from "../ports/connection-store.ts";
import type { ConnectionTokens } from "../ports/connection-tokens.ts";
import type { Log } from "../ports/log.ts";
import type { OAuthRoutes } from "../ports/oauth-routes.ts";
import type { SecretBox, SecretSource } from "../ports/secret-box.ts";
import { createConnectSession, type IssuedConnectSession } from "./create-connect-session.ts";
import { createConnectionTokens } from "./create-connection-tokens.ts";
import { createOAuthRoutes } from "./create-oauth-routes.ts";
import { disconnectConnection, type DisconnectResult } from "./disconnect-connection.ts";
import { createOAuthContext, DEFAULT_REFRESH_SETTINGS, type RefreshSettings } from "./oauth-context.ts";
import { createOAuthHttp, type OAuthNetworkOptions } from "../adapters/upstream/create-oauth-http.ts";
import type { EndpointOverrides } from "./provider-preset.ts";
import { resolvePreset } from "./resolve-preset.ts";

/** What the OAuth module is built from (by `wireLocal` and `wireAws`). */
export interface OAuthOptions {
  store: ConnectionStore;
  /** Seals tokens (context: gateway, purpose "oauth-tokens", connection) and PKCE verifiers. */
  box: SecretBox;
  /** Reveals the OAuth client secrets (`reveal(gatewayId, clientSecret.name)`). */
  secrets: SecretSource;
  audit: AuditSink;
  log: Log;
  /** @default systemClock */
  clock?: Clock;
  /** The gateways served, only to check their provider URLs against the address rules at start-up. */
  gateways?: Gateway[];
  /** The SSRF guard of provider calls; `unsafeAllowPrivate` only in tests. */
  network?: OAuthNetworkOptions;
  /** Provider endpoint URLs replacing the presets' (loopback stand-ins in tests); never from a definition. */
  endpoints?: EndpointOverrides;
  /** Refresh timings. */
  refresh?: Partial<RefreshSettings>;
}

/** The wired OAuth module. `connections` and `oauthRoutes` are the engine's ports. */
export interface OAuth {
  connections: ConnectionTokens;
  oauthRoutes: OAuthRoutes;
  /** Issues a one-time connect session and returns its start URL. */
  createConnectSession(gateway: Gateway, connection: string, baseUrl: string, ttlMs?: number): Promise<IssuedConnectSession>;
  /** Removes a connection, revoking the grant at the provider first where it can (unless `revoke: false`). */
  disconnect(gateway: Gateway, connection: string, options?: { revoke?: boolean }): Promise<DisconnectResult>;
  /** Closes the provider connections. */
  close(): Promise<void>;
}

/**
 * Builds the OAuth module: the refreshing token source the engine injects bearers from, and the
 * connect flow's routes. All provider traffic (token, identity, revocation) goes through one
 * SSRF-guarded undici agent.
 *
 * @example
 * const oauth = createOAuth({ store, box, secrets, audit, log });
 * createEngine({ gateways, ports: { ...ports, connections: oauth.connections, oauthRoutes: oauth.oauthRoutes } });
 */
export function createOAuth(options: OAuthOptions): OAuth {
  const clock = options.clock ?? systemClock;
  const http = createOAuthHttp(options.network ?? {});
  const allowPrivate = options.network?.unsafeAllowPrivate ?? [];
  const endpoints = options.endpoints ?? {};
  const ctx = createOAuthContext({
    store: options.store,
    box: options.box,
    secrets: options.secrets,
    audit: options.audit,
    log: options.log,
    clock,
    http,
    settings: { ...DEFAULT_REFRESH_SETTINGS, ...options.refresh },
    instanceId: randomUUID(),
    endpoints,
  });
  for (const gateway of options.gateways ?? []) {
    for (const [name, connection] of Object.entries(gateway.connections)) {
      const preset = resolvePreset(connection, endpoints);
      for (const url of [preset.authorizationUrl, preset.tokenUrl, preset.userinfoUrl, preset.revocationUrl]) {
        const refused = url ? checkUpstreamUrlStatic(url, { allow: allowPrivate }) : null;
        if (refused) options.log.warn("oauth.url_refused", { gateway: gateway.name, connection: name, url, rule: refused.rule });
      }
    }
  }
  const connections = Object.assign(createConnectionTokens(ctx), {
    rejectedTokenSignal: (gateway: Gateway, name: string) => (Object.hasOwn(gateway.connections, name) ? ctx.preset(gateway, name).rejectedTokenInBody : null),
  });
  const oauthRoutes = createOAuthRoutes(ctx, { allowPrivate, onConnected: (gatewayId, name) => connections.forget(gatewayId, name) });
  return {
    connections,
    oauthRoutes,
    createConnectSession(gateway, connection, baseUrl, ttlMs) {
      if (!Object.hasOwn(gateway.connections, connection)) {
        return Promise.reject(new Error(`gateway ${gateway.name} has no connection '${connection}'`));
      }
      return createConnectSession(options.store, { gatewayId: gateway.id, connection, baseUrl, now: clock.now(), ...(ttlMs !== undefined ? { ttlMs } : {}) });
    },
    async disconnect(gateway, connection, disconnectOptions = {}) {
      const freshToken = async () => {
        const verdict = await connections.accessToken(gateway, connection);
        return verdict.ok ? verdict.token : null;
      };
      const result = await disconnectConnection(ctx, gateway, connection, { revoke: disconnectOptions.revoke ?? true, freshToken });
      connections.forget(gateway.id, connection);
      return result;
    },
    close: () => http.close(),
  };
}
