import type { TokenRecord, TokenStore } from "../../ports/token-store.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";

/** How long a dead (expired or revoked) token's record stays, as on DynamoDB (`DEAD_TOKEN_RETENTION_DAYS`). */
const DEAD_TOKEN_RETENTION_MS = 90 * 86_400_000;

type Row = Record<string, string | number | null>;

/**
 * TokenStore on the `tokens` table. Reads are single-row lookups by primary key (hash) or the
 * unique id index. Every write is a `durable` transaction: fsynced and checkpointed into the
 * main file before the call returns, so a revocation cannot be lost by a crash or a cut WAL.
 */
export class SqliteTokenStore implements TokenStore {
  constructor(private readonly database: SqliteDatabase) {}

  async findByHash(hash: string): Promise<TokenRecord | null> {
    const row = this.database.statement("SELECT * FROM tokens WHERE hash = ?").get(hash) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<TokenRecord | null> {
    const row = this.database.statement("SELECT * FROM tokens WHERE id = ?").get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async create(record: TokenRecord): Promise<void> {
    this.database.write("durable", () => {
      // A primary-key or unique-id clash is refused by the constraint; nothing is overwritten.
      const inserted = this.database
        .statement(
          "INSERT INTO tokens (hash, id, gateway_id, label, endpoints, created_at, expires_at, revoked_at, rotated_from) " +
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .run(
          record.hash,
          record.id,
          record.gatewayId,
          record.label,
          record.endpoints === null ? null : JSON.stringify(record.endpoints),
          record.createdAt,
          record.expiresAt,
          record.revokedAt,
          record.rotatedFrom ?? null,
        );
      if (inserted.changes !== 1) throw new Error(`token ${record.id} already exists`);
    });
  }

  async list(gatewayId: string): Promise<TokenRecord[]> {
    const rows = this.database.statement("SELECT * FROM tokens WHERE gateway_id = ? ORDER BY created_at DESC, id").all(gatewayId) as Row[];
    return rows.map(toRecord);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    // The first revocation time stays: a second revoke changes nothing but still succeeds.
    return this.database.write("durable", () => {
      this.database.statement("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id);
      return this.database.statement("SELECT 1 FROM tokens WHERE id = ?").get(id) !== undefined;
    });
  }

  async setExpiry(id: string, expiresAt: number): Promise<boolean> {
    return this.database.write("durable", () => this.database.statement("UPDATE tokens SET expires_at = ? WHERE id = ?").run(expiresAt, id).changes === 1);
  }

  /** Removes records of tokens dead for longer than the retention (DynamoDB's TTL does this on AWS). */
  pruneDead(now: number): number {
    const before = now - DEAD_TOKEN_RETENTION_MS;
    const stale = this.database.statement("SELECT 1 FROM tokens WHERE coalesce(revoked_at, expires_at) < ? LIMIT 1").get(before);
    if (stale === undefined) return 0;
    return Number(
      this.database.write("durable", () => this.database.statement("DELETE FROM tokens WHERE coalesce(revoked_at, expires_at) < ?").run(before).changes),
    );
  }
}

function toRecord(row: Row): TokenRecord {
  const record: TokenRecord = {
    id: String(row.id),
    hash: String(row.hash),
    gatewayId: String(row.gateway_id),
    label: String(row.label),
    endpoints: typeof row.endpoints === "string" ? (JSON.parse(row.endpoints) as string[]) : null,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
  if (typeof row.rotated_from === "string") record.rotatedFrom = row.rotated_from;
  return record;
}
