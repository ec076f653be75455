import type { ConnectSession, ConnectionRecord, ConnectionStore, SessionStart } from "../../ports/connection-store.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";

/**
 * ConnectionStore on the `connections`, `leases` and `sessions` tables. Each state change is a
 * check and a write inside one `durable` transaction (fsynced before the call returns), so two
 * processes on the file can never both win: a version-checked put, a lease taken only when free,
 * expired or already ours, a session started or finished exactly once.
 */
export class SqliteConnectionStore implements ConnectionStore {
  constructor(private readonly database: SqliteDatabase) {}

  async get(gatewayId: string, connection: string): Promise<ConnectionRecord | null> {
    const row = this.database.statement("SELECT record FROM connections WHERE gateway_id = ? AND connection = ?").get(gatewayId, connection) as
      | { record: string }
      | undefined;
    return row ? (JSON.parse(row.record) as ConnectionRecord) : null;
  }

  async list(gatewayId: string): Promise<ConnectionRecord[]> {
    const rows = this.database.statement("SELECT record FROM connections WHERE gateway_id = ?").all(gatewayId) as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as ConnectionRecord).sort((a, b) => a.connection.localeCompare(b.connection));
  }

  async put(record: ConnectionRecord, expectedVersion: number | null): Promise<boolean> {
    const wanted = (expectedVersion ?? 0) + 1;
    // A version that does not follow the expected one is a caller bug, not a lost race.
    if (record.version !== wanted) throw new Error(`record version must be ${wanted}, got ${record.version}`);
    return this.database.write("durable", () => {
      const current = this.database
        .statement("SELECT version FROM connections WHERE gateway_id = ? AND connection = ?")
        .get(record.gatewayId, record.connection) as { version: number } | undefined;
      if ((current === undefined ? null : Number(current.version)) !== expectedVersion) return false;
      this.database
        .statement(
          "INSERT INTO connections (gateway_id, connection, version, record) VALUES (?, ?, ?, ?) ON CONFLICT (gateway_id, connection) DO UPDATE SET version = excluded.version, record = excluded.record",
        )
        .run(record.gatewayId, record.connection, record.version, JSON.stringify(record));
      return true;
    });
  }

  async delete(gatewayId: string, connection: string): Promise<boolean> {
    return this.database.write("durable", () => {
      this.database.statement("DELETE FROM leases WHERE gateway_id = ? AND connection = ?").run(gatewayId, connection);
      return this.database.statement("DELETE FROM connections WHERE gateway_id = ? AND connection = ?").run(gatewayId, connection).changes === 1;
    });
  }

  async acquireLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.database.write("durable", () => {
      const lease = this.lease(gatewayId, connection);
      if (lease && lease.expiresAt > now && lease.owner !== owner) return false;
      this.database
        .statement(
          "INSERT INTO leases (gateway_id, connection, owner, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (gateway_id, connection) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
        )
        .run(gatewayId, connection, owner, now + ttlMs);
      return true;
    });
  }

  async renewLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.database.write("durable", () => {
      const changed = this.database
        .statement("UPDATE leases SET expires_at = ? WHERE gateway_id = ? AND connection = ? AND owner = ? AND expires_at > ?")
        .run(now + ttlMs, gatewayId, connection, owner, now);
      return changed.changes === 1;
    });
  }

  async releaseLease(gatewayId: string, connection: string, owner: string): Promise<void> {
    this.database.write("durable", () => {
      this.database.statement("DELETE FROM leases WHERE gateway_id = ? AND connection = ? AND owner = ?").run(gatewayId, connection, owner);
    });
  }

  async createSession(session: ConnectSession): Promise<void> {
    this.database.write("durable", () => {
      // Sessions expired a day before this one was made are never read again: they go now.
      this.database.statement("DELETE FROM sessions WHERE expires_at <= ?").run(session.createdAt - 86_400_000);
      const inserted = this.database
        .statement("INSERT INTO sessions (id_hash, expires_at, record) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .run(session.idHash, session.expiresAt, JSON.stringify(session));
      if (inserted.changes !== 1) throw new Error("a connect session with this id exists");
    });
  }

  async getSession(idHash: string, now: number): Promise<ConnectSession | null> {
    const session = this.session(idHash);
    return session && session.expiresAt > now ? session : null;
  }

  async startSession(idHash: string, now: number, started: SessionStart): Promise<ConnectSession | null> {
    return this.database.write("durable", () => {
      const session = this.session(idHash);
      if (session?.stage !== "issued" || session.expiresAt <= now) return null;
      const next: ConnectSession = { ...session, stage: "started", ...structuredClone(started) };
      this.database.statement("UPDATE sessions SET record = ? WHERE id_hash = ?").run(JSON.stringify(next), idHash);
      return next;
    });
  }

  async finishSession(idHash: string, stateHash: string, now: number): Promise<ConnectSession | null> {
    return this.database.write("durable", () => {
      const session = this.session(idHash);
      if (session?.stage !== "started" || session.expiresAt <= now || session.stateHash !== stateHash) return null;
      this.database.statement("DELETE FROM sessions WHERE id_hash = ?").run(idHash);
      return session;
    });
  }

  private lease(gatewayId: string, connection: string): { owner: string; expiresAt: number } | null {
    const row = this.database.statement("SELECT owner, expires_at FROM leases WHERE gateway_id = ? AND connection = ?").get(gatewayId, connection) as
      | { owner: string; expires_at: number }
      | undefined;
    return row ? { owner: row.owner, expiresAt: Number(row.expires_at) } : null;
  }

  private session(idHash: string): ConnectSession | null {
    const row = this.database.statement("SELECT record FROM sessions WHERE id_hash = ?").get(idHash) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as ConnectSession) : null;
  }
}
