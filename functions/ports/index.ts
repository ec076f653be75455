import type { AuditSink } from "./audit-sink.ts";
import type { Clock } from "./clock.ts";
import type { ConnectionTokens } from "./connection-tokens.ts";
import type { Log } from "./log.ts";
import type { OAuthRoutes } from "./oauth-routes.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { SecretSource } from "./secret-box.ts";
import type { TokenHasher } from "./token-hasher.ts";
import type { TokenStore } from "./token-store.ts";
import type { UpstreamClient } from "./upstream-client.ts";

/** Everything the engine needs from the outside world; each front door's `wire` module builds it. */
export interface EnginePorts {
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  audit: AuditSink;
  secrets: SecretSource;
  upstream: UpstreamClient;
  clock: Clock;
  log: Log;
  /** OAuth bearer tokens; required when a gateway has connections. */
  connections?: ConnectionTokens;
  /** The connect flow's pages. */
  oauthRoutes?: OAuthRoutes;
  /** SHA-256 of client tokens; the front doors pass the runtime's native one. @default the portable `sha256Hex` */
  hashToken?: TokenHasher;
}

export type { AuditSink, AuditRecord, AuditReader, AuditFilter } from "./audit-sink.ts";
export type { Clock } from "./clock.ts";
export type { ConnectionTokens, ConnectionTokenResult } from "./connection-tokens.ts";
export type { Log } from "./log.ts";
export type { RateLimiter, RateLimitRequest, RateLimitResult, RateLimitBucket, WindowState } from "./rate-limiter.ts";
export type { SecretBox, SecretSource, EncryptionContext } from "./secret-box.ts";
export type { TokenHasher } from "./token-hasher.ts";
export type { TokenStore, TokenRecord } from "./token-store.ts";
export type { UpstreamClient, UpstreamRequest, UpstreamResponse } from "./upstream-client.ts";
export type { GatewayRequest, GatewayResponse, HeaderMap, Body } from "./http-types.ts";
