import type { AuditReader, AuditSink } from "../../ports/audit-sink.ts";
import type { ConnectionStore } from "../../ports/connection-store.ts";
import type { RateLimiter } from "../../ports/rate-limiter.ts";
import type { TokenStore } from "../../ports/token-store.ts";
import type { DynamoClientOptions } from "../../adapters/aws/dynamo-client.ts";
import type { TableNames } from "../../contracts/tables.ts";
import { MemoryAuditSink } from "../../adapters/memory/memory-audit-sink.ts";
import { MemoryConnectionStore } from "../../adapters/memory/memory-connection-store.ts";
import { MemoryRateLimiter } from "../../adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../adapters/memory/memory-token-store.ts";
import { openSqliteStore } from "../../adapters/sqlite/open-sqlite-store.ts";

/**
 * Audit records a memory store keeps: the latest few, for a test or a debugger looking at the
 * process. No command can read a memory store from outside it (`gatehouse audit` opens the data
 * folder), and records kept longer survive young-generation collections into the old generation:
 * with MemoryAuditSink's default of 10,000 a loaded `gatehouse dev --memory` ran 2-4 full
 * mark-compacts (pauses up to 5.4 ms) in 8 s of load, with 100 none, and its p99 fell by 0.8-1.3 ms
 * at 32 connections (README, Performance).
 */
const MEMORY_AUDIT_RECORDS = 100;

/** The stores a local gateway runs on. */
export interface LocalStores {
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  audit: AuditSink & AuditReader;
  /** OAuth connection records, leases and connect sessions. */
  connections: ConnectionStore;
  /** One line for the startup banner, e.g. "memory (nothing survives a restart)". */
  description: string;
  close(): Promise<void>;
}

/** Options of {@link openLocalStores}. */
export interface LocalStoreOptions {
  /** Use the memory adapters (nothing survives a restart). */
  memory: boolean;
  /** Data folder of the SQLite store. @default ".gatehouse" */
  dataDir: string;
  /** Audit retention in days (TTL). @default 90 */
  auditRetentionDays?: number;
}

/** The default data folder, relative to the working directory. */
export const DEFAULT_DATA_DIR = ".gatehouse";

/**
 * Opens the stores `gatehouse dev` and `gatehouse serve` use: the memory adapters with `memory`,
 * else the SQLite adapters on `<dataDir>/gatehouse.db` (created on first start; other processes
 * open the same file, see `openSqliteStore`).
 */
export async function openLocalStores(options: LocalStoreOptions): Promise<LocalStores> {
  if (options.memory) return openStores({ kind: "memory" });
  return openStores({
    kind: "local",
    dataDir: options.dataDir || DEFAULT_DATA_DIR,
    backgroundCheckpoints: true,
    ...(options.auditRetentionDays !== undefined ? { auditRetentionDays: options.auditRetentionDays } : {}),
  });
}

/** Which stores to open: memory, a local data folder, or DynamoDB (AWS or a compatible endpoint). */
export type StoreTarget =
  | { kind: "memory" }
  | {
      kind: "local";
      dataDir: string;
      auditRetentionDays?: number;
      /** Checkpoint on a background thread (servers; see `openSqliteStore`). @default false */
      backgroundCheckpoints?: boolean;
    }
  | {
      kind: "aws";
      region: string;
      /** A DynamoDB-compatible endpoint; omitted for AWS. */
      endpoint?: string;
      /** Omitted: the SDK's default credential chain. */
      credentials?: DynamoClientOptions["credentials"];
      tables: TableNames;
      auditRetentionDays?: number;
    };

/** Opens stores for `gatehouse dev` and for the CLI's `token` and `audit` commands. */
export async function openStores(target: StoreTarget): Promise<LocalStores> {
  if (target.kind === "memory") {
    return {
      tokens: new MemoryTokenStore(),
      rateLimiter: new MemoryRateLimiter(),
      audit: new MemoryAuditSink({ maxRecords: MEMORY_AUDIT_RECORDS }),
      connections: new MemoryConnectionStore(),
      description: "memory (nothing survives a restart)",
      close: async () => {},
    };
  }
  if (target.kind === "local") {
    const store = openSqliteStore(target.dataDir, {
      ...(target.auditRetentionDays !== undefined ? { auditRetentionDays: target.auditRetentionDays } : {}),
      backgroundCheckpoints: target.backgroundCheckpoints ?? false,
    });
    return {
      tokens: store.tokens,
      rateLimiter: store.rateLimiter,
      audit: store.audit,
      connections: store.connections,
      description: `SQLite ${store.file}`,
      close: async () => store.close(),
    };
  }
  // Imported only here, so that a process that never talks to DynamoDB (every local server, the
  // token and audit commands on the data folder) never loads the AWS SDK (see wire-dynamo-stores.ts).
  const { openDynamoStores } = await import("./wire-dynamo-stores.ts");
  return openDynamoStores(target);
}
