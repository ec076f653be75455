import { describe, expect, it } from "vitest";
import type { TokenRecord, TokenStore } from "../../functions/ports/token-store.ts";
import { hashToken, mintToken, newTokenId } from "../../functions/tokens/token-format.ts";
import { issueToken, rotateToken } from "../../functions/tokens/issue-token.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const GW = "0b7c1c1e-3f4a-5b6c-8d7e-9f0a1b2c3d4e";
const OTHER_GW = "1c8d2d2f-4a5b-5c7d-9e8f-0a1b2c3d4e5f";

function record(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: newTokenId(),
    hash: hashToken(mintToken()),
    gatewayId: GW,
    label: "billing-svc",
    endpoints: ["github", "stripe"],
    createdAt: T0,
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** The TokenStore contract (functions/ports/token-store.ts); `make` returns an empty store. */
export function tokenStoreContract(name: string, make: () => Promise<TokenStore>): void {
  describe(`TokenStore contract: ${name}`, () => {
    it("answers null for an unknown hash or id", async () => {
      const store = await make();
      expect(await store.findByHash(hashToken(mintToken()))).toBeNull();
      expect(await store.findById("tok_000000000000")).toBeNull();
    });

    it("returns a created record by hash and by id, field for field", async () => {
      const store = await make();
      const scoped = record({ expiresAt: T0 + 86_400_000 });
      const unscoped = record({ endpoints: null, rotatedFrom: scoped.id });
      await store.create(scoped);
      await store.create(unscoped);
      expect(await store.findByHash(scoped.hash)).toEqual(scoped);
      expect(await store.findById(scoped.id)).toEqual(scoped);
      expect(await store.findByHash(unscoped.hash)).toEqual(unscoped);
    });

    it("refuses a second record with the same id or the same hash and keeps the first", async () => {
      const store = await make();
      const first = record();
      await store.create(first);
      await expect(store.create(record({ id: first.id }))).rejects.toThrow();
      await expect(store.create(record({ hash: first.hash, label: "intruder" }))).rejects.toThrow();
      expect(await store.findByHash(first.hash)).toEqual(first);
    });

    it("lets exactly one of concurrent creates with the same hash win", async () => {
      const store = await make();
      const hash = hashToken(mintToken());
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.create(record({ hash, label: `l${i}` }))));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("lists a gateway's tokens newest first and nothing of other gateways", async () => {
      const store = await make();
      const a = record({ createdAt: T0 });
      const b = record({ createdAt: T0 + 2000 });
      const c = record({ createdAt: T0 + 1000 });
      await store.create(a);
      await store.create(b);
      await store.create(c);
      await store.create(record({ gatewayId: OTHER_GW }));
      expect((await store.list(GW)).map((r) => r.id)).toEqual([b.id, c.id, a.id]);
      expect(await store.list("00000000-0000-5000-8000-000000000000")).toEqual([]);
    });

    it("revokes idempotently, keeping the first time, and answers false for an unknown id", async () => {
      const store = await make();
      const r = record();
      await store.create(r);
      expect(await store.revoke(r.id, T0 + 10)).toBe(true);
      expect(await store.revoke(r.id, T0 + 20)).toBe(true);
      expect((await store.findByHash(r.hash))?.revokedAt).toBe(T0 + 10);
      expect(await store.revoke("tok_unknownunknow", T0)).toBe(false);
    });

    it("sets the expiry and answers false for an unknown id", async () => {
      const store = await make();
      const r = record();
      await store.create(r);
      expect(await store.setExpiry(r.id, T0 + 5000)).toBe(true);
      expect(await store.setExpiry(r.id, T0 + 6000)).toBe(true);
      expect((await store.findById(r.id))?.expiresAt).toBe(T0 + 6000);
      expect(await store.setExpiry("tok_unknownunknow", T0)).toBe(false);
    });

    it("works with issueToken and rotateToken: the new token is found, the old one expires at the overlap end", async () => {
      const store = await make();
      const { token, record: issued } = await issueToken(store, { gatewayId: GW, label: "app", endpoints: ["github"], now: T0 });
      expect(await store.findByHash(hashToken(token))).toEqual(issued);
      const rotated = await rotateToken(store, issued.id, { overlapMs: 3_600_000, now: T0 + 1000 });
      expect(rotated).not.toBeNull();
      expect((await store.findByHash(hashToken(rotated!.token)))?.endpoints).toEqual(["github"]);
      expect((await store.findById(rotated!.record.id))?.rotatedFrom).toBe(issued.id);
      expect((await store.findById(issued.id))?.expiresAt).toBe(T0 + 1000 + 3_600_000);
    });
  });
}
