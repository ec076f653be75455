import type { ConnectSession, ConnectionRecord, ConnectionStore, SessionStart } from "../../ports/connection-store.ts";

/**
 * ConnectionStore in Maps. Every method does its check and its write in one synchronous step,
 * which is atomic within one process. Values are cloned in and out, so callers never share
 * objects with the store.
 */
export class MemoryConnectionStore implements ConnectionStore {
  private readonly records = new Map<string, ConnectionRecord>();
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();
  private readonly sessions = new Map<string, ConnectSession>();

  async get(gatewayId: string, connection: string): Promise<ConnectionRecord | null> {
    const record = this.records.get(key(gatewayId, connection));
    return record ? structuredClone(record) : null;
  }

  async list(gatewayId: string): Promise<ConnectionRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.gatewayId === gatewayId)
      .sort((a, b) => a.connection.localeCompare(b.connection))
      .map((r) => structuredClone(r));
  }

  async put(record: ConnectionRecord, expectedVersion: number | null): Promise<boolean> {
    checkVersion(record, expectedVersion);
    const k = key(record.gatewayId, record.connection);
    const current = this.records.get(k);
    if ((current?.version ?? null) !== expectedVersion) return false;
    this.records.set(k, structuredClone(record));
    return true;
  }

  async delete(gatewayId: string, connection: string): Promise<boolean> {
    const k = key(gatewayId, connection);
    this.leases.delete(k);
    return this.records.delete(k);
  }

  async acquireLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const k = key(gatewayId, connection);
    const lease = this.leases.get(k);
    if (lease && lease.expiresAt > now && lease.owner !== owner) return false;
    this.leases.set(k, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async renewLease(gatewayId: string, connection: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const k = key(gatewayId, connection);
    const lease = this.leases.get(k);
    if (!lease || lease.owner !== owner || lease.expiresAt <= now) return false;
    lease.expiresAt = now + ttlMs;
    return true;
  }

  async releaseLease(gatewayId: string, connection: string, owner: string): Promise<void> {
    const k = key(gatewayId, connection);
    if (this.leases.get(k)?.owner === owner) this.leases.delete(k);
  }

  async createSession(session: ConnectSession): Promise<void> {
    if (this.sessions.has(session.idHash)) throw new Error("a connect session with this id exists");
    this.sessions.set(session.idHash, structuredClone(session));
  }

  async getSession(idHash: string, now: number): Promise<ConnectSession | null> {
    const session = this.sessions.get(idHash);
    if (!session || session.expiresAt <= now) return null;
    return structuredClone(session);
  }

  async startSession(idHash: string, now: number, started: SessionStart): Promise<ConnectSession | null> {
    const session = this.sessions.get(idHash);
    if (session?.stage !== "issued" || session.expiresAt <= now) return null;
    Object.assign(session, { stage: "started" as const }, structuredClone(started));
    return structuredClone(session);
  }

  async finishSession(idHash: string, stateHash: string, now: number): Promise<ConnectSession | null> {
    const session = this.sessions.get(idHash);
    if (session?.stage !== "started" || session.expiresAt <= now || session.stateHash !== stateHash) return null;
    this.sessions.delete(idHash);
    return structuredClone(session);
  }
}

function key(gatewayId: string, connection: string): string {
  return `${gatewayId}#${connection}`;
}

/** A version that does not follow the expected one is a caller bug, not a lost race. */
function checkVersion(record: ConnectionRecord, expectedVersion: number | null): void {
  const wanted = (expectedVersion ?? 0) + 1;
  if (record.version !== wanted) throw new Error(`record version must be ${wanted}, got ${record.version}`);
}
