import type { Gateway } from "../../schema/gateway.ts";
import type { AuditSink } from "../ports/audit-sink.ts";
import type { Clock } from "../ports/clock.ts";
import type { ConnectionStore } from "../ports/connection-store.ts";
import type { Log } from "../ports/log.ts";
import type { SecretBox, SecretSource } from "../ports/secret-box.ts";
import { writeAudit } from "../engine/write-audit.ts";
import type { OAuthHttp } from "../ports/oauth-http.ts";
import { oauthAuditRecord } from "./oauth-audit.ts";
import type { EndpointOverrides, ProviderPreset } from "./provider-preset.ts";
import { resolvePreset } from "./resolve-preset.ts";
import type { ClientCredentials } from "./token-endpoint.ts";

/** Refresh timings; the defaults suit production, tests shorten some. */
export interface RefreshSettings {
  /** Lease lifetime; renewed every third of it while a refresh runs. @default 30000 */
  leaseMs: number;
  /** How long a caller waits for another process's refresh before answering 503. @default 20000 */
  waitMs: number;
  /** Poll interval while waiting for another process's refresh. @default 100 */
  pollMs: number;
  /** Token requests per refresh when failures are transient. @default 3 */
  maxAttempts: number;
  /** First backoff; doubled per attempt, with jitter. @default 250 */
  retryBaseMs: number;
  /** A longer `Retry-After` ends the retries at once. @default 5000 */
  maxRetryWaitMs: number;
  /** Refresh this long before expiry (capped at half the lifetime); default: 10 % of the lifetime within 60 s..5 min. */
  skewMs: number | null;
  /** After a misconfigured failure, how long before the provider is asked again. @default 30000 */
  misconfiguredCooldownMs: number;
  /** How long a decrypted token is used without re-reading the store. @default 5000 */
  tokenCacheMs: number;
}

/** The defaults of {@link RefreshSettings}. */
export const DEFAULT_REFRESH_SETTINGS: RefreshSettings = {
  leaseMs: 30_000,
  waitMs: 20_000,
  pollMs: 100,
  maxAttempts: 3,
  retryBaseMs: 250,
  maxRetryWaitMs: 5000,
  skewMs: null,
  misconfiguredCooldownMs: 30_000,
  tokenCacheMs: 5000,
};

/** What the OAuth parts share: ports, the guarded HTTP client, presets and settings. */
export interface OAuthContext {
  store: ConnectionStore;
  box: SecretBox;
  secrets: SecretSource;
  audit: AuditSink;
  log: Log;
  clock: Clock;
  http: OAuthHttp;
  settings: RefreshSettings;
  /** A random id of this process, part of every lease owner. */
  instanceId: string;
  preset(gateway: Gateway, connection: string): ProviderPreset;
  /** The client id and secret (revealed from the SecretSource for this call only). */
  client(gateway: Gateway, connection: string): Promise<ClientCredentials>;
  /** Writes an OAuth audit record; never throws (falls back to the log). */
  record(input: Parameters<typeof oauthAuditRecord>[0]): Promise<void>;
}

/** Builds the shared context. */
export function createOAuthContext(input: Omit<OAuthContext, "preset" | "client" | "record"> & { endpoints: EndpointOverrides }): OAuthContext {
  const presets = new WeakMap<Gateway, Map<string, ProviderPreset>>();
  return {
    ...input,
    preset(gateway, connection) {
      let byName = presets.get(gateway);
      if (!byName) presets.set(gateway, (byName = new Map()));
      let preset = byName.get(connection);
      if (!preset) {
        const definition = gateway.connections[connection];
        if (!definition) throw new Error(`gateway ${gateway.name} has no connection '${connection}'`);
        preset = resolvePreset(definition, input.endpoints);
        byName.set(connection, preset);
      }
      return preset;
    },
    async client(gateway, connection) {
      const definition = gateway.connections[connection];
      if (!definition) throw new Error(`gateway ${gateway.name} has no connection '${connection}'`);
      return { clientId: definition.clientId, clientSecret: await input.secrets.reveal(gateway.id, definition.clientSecret.name) };
    },
    record: (details) => writeAudit(input.audit, input.log, oauthAuditRecord(details)),
  };
}

/**
 * How long before expiry a token counts as due: 10 % of its lifetime, at least 60 s and at most
 * 5 min (or the configured skew), but never more than half the lifetime, so a short-lived token
 * is still used for a while.
 */
export function refreshMargin(lifetimeMs: number | null, skewMs: number | null): number {
  const base = skewMs ?? (lifetimeMs === null ? 60_000 : Math.min(300_000, Math.max(60_000, lifetimeMs * 0.1)));
  return lifetimeMs === null ? base : Math.min(base, lifetimeMs / 2);
}
