import type { Lookup, LookupAddress } from "./lookup.ts";

/** Options for `createDnsCache`. */
export interface DnsCacheOptions {
  /** The resolver behind the cache. */
  lookup: Lookup;
  /** Most names kept; the least recently used is dropped first. Default 1000. */
  maxEntries?: number;
  /** Longest time an answer is reused, and the lifetime of answers without a TTL. Default 30 s. */
  maxTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A caching resolver plus counters, so the cached path's cost can be measured. */
export interface DnsCache {
  /** Same contract as the wrapped lookup; answers are reused within their lifetime. */
  readonly lookup: Lookup;
  /** Answers currently held. */
  readonly size: number;
  /** Lookups answered from the cache, and lookups that went to the resolver. */
  readonly stats: { readonly hits: number; readonly misses: number };
  /** Forgets every answer. */
  clear(): void;
}

interface Entry {
  answers: LookupAddress[];
  expiresAt: number;
}

/**
 * A bounded DNS cache. An answer lives for the smallest TTL among its addresses when the
 * resolver reports TTLs, capped at `maxTtlMs`; otherwise (getaddrinfo reports none) for
 * `maxTtlMs`, 30 s by default, short enough that a changed record is picked up soon. Failures
 * are not cached. Concurrent lookups of one name share one query. Caching never weakens the
 * guard: every answer, cached or not, is checked again before each new connection.
 */
export function createDnsCache(options: DnsCacheOptions): DnsCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxTtlMs = options.maxTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<LookupAddress[]>>();
  const stats = { hits: 0, misses: 0 };

  const store = (key: string, answers: LookupAddress[]): void => {
    const ttls = answers.map((answer) => answer.ttl).filter((ttl): ttl is number => typeof ttl === "number" && ttl >= 0);
    const lifetime = ttls.length === answers.length && ttls.length > 0 ? Math.min(maxTtlMs, Math.min(...ttls) * 1000) : maxTtlMs;
    if (lifetime <= 0 || maxEntries <= 0) return;
    entries.delete(key);
    entries.set(key, { answers, expiresAt: now() + lifetime });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };

  const lookup: Lookup = async (hostname) => {
    const key = hostname.toLowerCase();
    const entry = entries.get(key);
    if (entry && entry.expiresAt > now()) {
      stats.hits += 1;
      entries.delete(key); // re-insert: the Map's order is the recency order
      entries.set(key, entry);
      return entry.answers.map((answer) => ({ ...answer }));
    }
    if (entry) entries.delete(key);
    const inFlight = pending.get(key);
    if (inFlight) {
      stats.hits += 1;
      return (await inFlight).map((answer) => ({ ...answer }));
    }
    stats.misses += 1;
    const query = options.lookup(hostname).then((answers) => {
      if (Array.isArray(answers))
        store(
          key,
          answers.map((answer) => ({ ...answer })),
        );
      return answers;
    });
    pending.set(key, query);
    try {
      return await query;
    } finally {
      pending.delete(key);
    }
  };

  return {
    lookup,
    get size() {
      return entries.size;
    },
    stats,
    clear: () => entries.clear(),
  };
}
