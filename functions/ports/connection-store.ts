/**
 * ConnectionStore: OAuth connections (sealed tokens and their status), the refresh lease of each
 * connection, and the one-time connect sessions an operator issues.
 *
 * Contract:
 * - `get` of an unknown connection resolves to `null` (a normal result).
 * - `put(record, expectedVersion)` writes only if the stored record's version equals
 *   `expectedVersion` (`null`: no record may exist yet), and `record.version` must be
 *   `expectedVersion + 1` (1 for a new record). A lost condition resolves to `false`, never
 *   overwrites, and the caller re-reads. Versions only ever grow.
 * - `list` returns every connection of a gateway, sorted by name (for the CLI; it may scan).
 * - `delete` removes the connection (and its lease); `false` when there was none.
 * - Leases: `acquireLease` succeeds when no lease exists, the existing one expired at `now`, or
 *   `owner` already holds it (then it is extended). Exactly one owner holds an unexpired lease.
 *   `renewLease` extends only the owner's own unexpired lease; `releaseLease` removes only the
 *   owner's own lease (someone else's is left alone). A lease never touches the connection's
 *   version.
 * - Sessions are keyed by the SHA-256 of the session id (the id itself is never stored).
 *   `createSession` rejects if the key exists. `getSession` returns `null` once the session
 *   expired. `startSession` moves an `issued`, unexpired session to `started` exactly once
 *   (single use) and returns it, else `null`. `finishSession` deletes a `started`, unexpired
 *   session whose `stateHash` matches, exactly once, and returns it, else `null`.
 * - Any other failure (store unreachable) rejects; the caller answers 503.
 * - Safe for concurrent use across processes (the DynamoDB adapter uses conditional writes).
 */
export interface ConnectionStore {
  get(gatewayId: string, connection: string): Promise<ConnectionRecord | null>;
  list(gatewayId: string): Promise<ConnectionRecord[]>;
  put(record: ConnectionRecord, expectedVersion: number | null): Promise<boolean>;
  delete(gatewayId: string, connection: string): Promise<boolean>;
  acquireLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  renewLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(gatewayId: string, connection: string, owner: string): Promise<void>;
  createSession(session: ConnectSession): Promise<void>;
  getSession(idHash: string, now: number): Promise<ConnectSession | null>;
  startSession(idHash: string, now: number, started: SessionStart): Promise<ConnectSession | null>;
  finishSession(idHash: string, stateHash: string, now: number): Promise<ConnectSession | null>;
}

/** How a connection stands. */
export type ConnectionStatus = "connected" | "needs_reauthorization" | "misconfigured";

/** Who the connection acts as, as far as the provider says. Never a secret. */
export interface ConnectionIdentity {
  /** The provider's stable id (GitHub user id, OIDC `sub`, Slack user id ...). */
  id: string | null;
  /** What a person recognises: login, e-mail, workspace name. */
  label: string | null;
  /** A few more plain facts (team, tenant, workspace). */
  details: Record<string, string>;
}

/** Why the last refresh or connect failed, in operator words. No token, no code. */
export interface ConnectionError {
  class: "grant_dead" | "misconfigured" | "transient";
  /** The provider's error code (`invalid_grant`, `bad_refresh_token`, `http_503` ...). */
  code: string;
  message: string;
  at: number;
}

/** One stored connection. Times are epoch milliseconds. */
export interface ConnectionRecord {
  gatewayId: string;
  connection: string;
  provider: string;
  /** 1 for a new record, +1 on every write. */
  version: number;
  status: ConnectionStatus;
  /** The token set, sealed by the SecretBox under {gateway, purpose: "oauth-tokens", connection}. */
  sealedTokens: string | null;
  identity: ConnectionIdentity | null;
  /** Scopes the provider granted (or, when it does not say, the ones requested). */
  scopes: string[];
  /** When the access token expires; `null` when the provider gave no lifetime. */
  expiresAt: number | null;
  /** Whether a refresh token is held. */
  refreshable: boolean;
  connectedAt: number;
  lastRefreshAt: number | null;
  lastError: ConnectionError | null;
  updatedAt: number;
}

/** A one-time connect session issued by an operator (`gatehouse connect`). */
export interface ConnectSession {
  /** SHA-256 (hex) of the session id in the start URL. */
  idHash: string;
  gatewayId: string;
  connection: string;
  /** Public base URL of the gateway the callback comes back to. */
  baseUrl: string;
  createdAt: number;
  expiresAt: number;
  stage: "issued" | "started";
  /** Set when started. */
  stateHash?: string;
  /** The PKCE verifier, sealed (only when the provider uses PKCE). */
  sealedVerifier?: string;
  /** SHA-256 of the browser-binding cookie value. */
  browserHash?: string;
}

/** What `startSession` records. */
export interface SessionStart {
  stateHash: string;
  sealedVerifier?: string;
  browserHash: string;
}
