import type { AuditReader, AuditSink } from "../../ports/audit-sink.ts";
import type { RateLimiter } from "../../ports/rate-limiter.ts";
import type { TokenStore } from "../../ports/token-store.ts";
import { MemoryAuditSink } from "../../adapters/memory/memory-audit-sink.ts";
import { MemoryRateLimiter } from "../../adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../adapters/memory/memory-token-store.ts";

/** The stores a local gateway runs on. */
export interface LocalStores {
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  audit: AuditSink & AuditReader;
  /** One line for the startup banner, e.g. "memory (nothing survives a restart)". */
  description: string;
  close(): Promise<void>;
}

/** Options of {@link openLocalStores}. */
export interface LocalStoreOptions {
  /** Use the memory adapters (nothing survives a restart). */
  memory: boolean;
  /** Data folder of the embedded store. @default ".gatehouse" */
  dataDir: string;
}

/** Opens the stores `gatehouse dev` uses. */
export async function openLocalStores(options: LocalStoreOptions): Promise<LocalStores> {
  if (!options.memory) {
    throw new Error("the embedded store is not available yet; run with --memory");
  }
  return {
    tokens: new MemoryTokenStore(),
    rateLimiter: new MemoryRateLimiter(),
    audit: new MemoryAuditSink(),
    description: "memory (nothing survives a restart)",
    close: async () => {},
  };
}
