/**
 * TokenStore: client token records, looked up by the SHA-256 of the token. The token itself is
 * never stored.
 *
 * Contract:
 * - `findByHash` of an unknown hash resolves to `null` (a normal result, not an error).
 * - `create` fails (rejects) if a record with the same id or hash exists; it never overwrites.
 * - `revoke` / `setExpiry` resolve to `false` for an unknown id; they are idempotent.
 * - Any other failure (store unreachable, throttled past retries) rejects with an error; the
 *   engine then fails closed with 503 and forwards nothing.
 * - Safe for concurrent use; a write is visible to every later `findByHash` on the same store
 *   (the engine's verification cache may delay that, see `tokenCacheSeconds`).
 */
export interface TokenStore {
  findByHash(hash: string): Promise<TokenRecord | null>;
  findById(id: string): Promise<TokenRecord | null>;
  create(record: TokenRecord): Promise<void>;
  /** Every token of a gateway, newest first. */
  list(gatewayId: string): Promise<TokenRecord[]>;
  revoke(id: string, at: number): Promise<boolean>;
  setExpiry(id: string, expiresAt: number): Promise<boolean>;
}

/** A stored client token. Times are epoch milliseconds. */
export interface TokenRecord {
  /** Public id (`tok_…`), shown in lists and the audit. */
  id: string;
  /** SHA-256 of the token, hex. */
  hash: string;
  gatewayId: string;
  /** The internal app the token belongs to. */
  label: string;
  /** Endpoint slugs the token may call; `null` means every endpoint of the gateway. */
  endpoints: string[] | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** Set on a token issued by `rotate`: the id of the token it replaces. */
  rotatedFrom?: string | null;
}
