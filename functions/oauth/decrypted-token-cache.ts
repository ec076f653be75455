import type { ConnectionRecord } from "../ports/connection-store.ts";
import type { SecretBox } from "../ports/secret-box.ts";
import type { TokenSet } from "./parse-token-response.ts";
import { openTokens } from "./token-vault.ts";

/** A decrypted token set, with the record version it came from and when it was read. */
export interface CachedTokens {
  version: number;
  tokens: TokenSet;
  expiresAt: number | null;
  readAt: number;
}

/**
 * Decrypted token sets by connection, kept briefly so a request neither re-reads the store nor
 * re-opens the box. An entry is only ever reused for the record version it was opened from, so a
 * refresh by another process (a new version) is never masked by it.
 */
export class DecryptedTokenCache {
  private readonly entries = new Map<string, CachedTokens>();

  constructor(private readonly box: SecretBox) {}

  /** The entry of a connection, whatever its age (callers judge freshness). */
  get(gatewayId: string, connection: string): CachedTokens | undefined {
    return this.entries.get(key(gatewayId, connection));
  }

  /** Remembers the tokens of a record version. */
  set(gatewayId: string, connection: string, entry: CachedTokens): void {
    this.entries.set(key(gatewayId, connection), entry);
  }

  /** The record's tokens: from the cache when its version matches, else opened and cached; null when it has none. */
  async open(record: ConnectionRecord, now: number): Promise<TokenSet | null> {
    if (!record.sealedTokens) return null;
    const cached = this.get(record.gatewayId, record.connection);
    if (cached && cached.version === record.version) return cached.tokens;
    const tokens = await openTokens(this.box, record.gatewayId, record.connection, record.sealedTokens);
    this.set(record.gatewayId, record.connection, { version: record.version, tokens, expiresAt: record.expiresAt, readAt: now });
    return tokens;
  }

  /** Drops a connection's entry (after a reconnect in this process). */
  forget(gatewayId: string, connection: string): void {
    this.entries.delete(key(gatewayId, connection));
  }
}

function key(gatewayId: string, connection: string): string {
  return `${gatewayId}#${connection}`;
}
