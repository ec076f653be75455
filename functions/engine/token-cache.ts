import type { TokenRecord } from "../ports/token-store.ts";

/**
 * A bounded, short-lived cache of token look-ups, so a busy client costs one store read per
 * `ttlMs` rather than one per request. Revocation therefore takes effect within `ttlMs`.
 * Only found tokens are cached; a `ttlMs` of 0 disables it. Keyed by the raw token, so a hit
 * costs one Map lookup and no SHA-256 or checksum: the raw value lives only in this process's
 * memory, as it already does while the request is handled (never logged, stored or sent).
 */
export class TokenCache {
  private readonly entries = new Map<string, { record: TokenRecord; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(token: string, now: number): TokenRecord | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.record;
  }

  set(token: string, record: TokenRecord, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: dropping the first entry drops the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { record, until: now + this.ttlMs });
  }
}
