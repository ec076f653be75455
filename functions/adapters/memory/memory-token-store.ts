import type { TokenRecord, TokenStore } from "../../ports/token-store.ts";

/** TokenStore in a Map: tests, benchmarks and `gatehouse dev --memory`. */
export class MemoryTokenStore implements TokenStore {
  private readonly byId = new Map<string, TokenRecord>();
  private readonly idByHash = new Map<string, string>();

  async findByHash(hash: string): Promise<TokenRecord | null> {
    const id = this.idByHash.get(hash);
    return id ? structuredClone(this.byId.get(id)!) : null;
  }

  async findById(id: string): Promise<TokenRecord | null> {
    const record = this.byId.get(id);
    return record ? structuredClone(record) : null;
  }

  async create(record: TokenRecord): Promise<void> {
    if (this.byId.has(record.id) || this.idByHash.has(record.hash)) throw new Error(`token ${record.id} already exists`);
    this.byId.set(record.id, structuredClone(record));
    this.idByHash.set(record.hash, record.id);
  }

  async list(gatewayId: string): Promise<TokenRecord[]> {
    return [...this.byId.values()]
      .filter((r) => r.gatewayId === gatewayId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => structuredClone(r));
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const record = this.byId.get(id);
    if (!record) return false;
    record.revokedAt ??= at;
    return true;
  }

  async setExpiry(id: string, expiresAt: number): Promise<boolean> {
    const record = this.byId.get(id);
    if (!record) return false;
    record.expiresAt = expiresAt;
    return true;
  }
}
