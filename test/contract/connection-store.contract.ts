import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectSession, ConnectionRecord, ConnectionStore } from "../../functions/ports/connection-store.ts";

/** A store under test and how to dispose of it. */
export interface ConnectionStoreFixture {
  store: ConnectionStore;
  close(): Promise<void>;
}

const NOW = Date.UTC(2026, 0, 1, 12);

function record(gatewayId: string, connection: string, version: number, overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    gatewayId,
    connection,
    provider: "github",
    version,
    status: "connected",
    sealedTokens: `sealed-${version}`,
    identity: { id: "42", label: "octocat", details: { team: "acme" } },
    scopes: ["repo"],
    expiresAt: NOW + 3600_000,
    refreshable: true,
    connectedAt: NOW,
    lastRefreshAt: null,
    lastError: null,
    updatedAt: NOW,
    ...overrides,
  };
}

function session(idHash: string, overrides: Partial<ConnectSession> = {}): ConnectSession {
  return {
    idHash,
    gatewayId: "gw",
    connection: "github",
    baseUrl: "http://127.0.0.1:8787",
    createdAt: NOW,
    expiresAt: NOW + 600_000,
    stage: "issued",
    ...overrides,
  };
}

/**
 * The ConnectionStore contract (see `functions/ports/connection-store.ts`), run against every
 * implementation: memory, and DynamoDB on dynalite.
 */
export function connectionStoreContract(name: string, open: () => Promise<ConnectionStoreFixture>): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    let fixture: ConnectionStoreFixture;
    let store: ConnectionStore;
    // Each test gets its own gateway id, so tests never see each other's items.
    const gw = () => randomUUID();

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.close();
    });

    it("get of an unknown connection is null", async () => {
      expect(await store.get(gw(), "github")).toBeNull();
    });

    it("put creates with expectedVersion null, once; get returns every field", async () => {
      const g = gw();
      const first = record(g, "github", 1, { lastError: { class: "transient", code: "http_503", message: "down", at: NOW } });
      expect(await store.put(first, null)).toBe(true);
      expect(await store.get(g, "github")).toEqual(first);
      expect(await store.put(record(g, "github", 1), null)).toBe(false);
      expect((await store.get(g, "github"))?.lastError?.code).toBe("http_503");
    });

    it("put is version-checked: the stale writer loses and nothing is overwritten", async () => {
      const g = gw();
      await store.put(record(g, "github", 1), null);
      expect(await store.put(record(g, "github", 2, { sealedTokens: "winner" }), 1)).toBe(true);
      expect(await store.put(record(g, "github", 2, { sealedTokens: "loser" }), 1)).toBe(false);
      expect((await store.get(g, "github"))?.sealedTokens).toBe("winner");
      expect(await store.put(record(g, "github", 3), 2)).toBe(true);
      expect((await store.get(g, "github"))?.version).toBe(3);
    });

    it("put with expectedVersion on a missing record is false", async () => {
      expect(await store.put(record(gw(), "github", 5), 4)).toBe(false);
    });

    it("put rejects a version that does not follow the expected one", async () => {
      await expect(store.put(record(gw(), "github", 3), 1)).rejects.toThrow(/version/);
    });

    it("concurrent puts on one version: exactly one wins", async () => {
      const g = gw();
      await store.put(record(g, "github", 1), null);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.put(record(g, "github", 2, { sealedTokens: `w${i}` }), 1)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await store.get(g, "github"))?.sealedTokens).toBe(`w${winner}`);
    });

    it("keeps connections apart by gateway and name", async () => {
      const g = gw();
      await store.put(record(g, "github", 1), null);
      await store.put(record(g, "slack", 1, { provider: "slack" }), null);
      expect((await store.get(g, "slack"))?.provider).toBe("slack");
      expect(await store.get(gw(), "github")).toBeNull();
    });

    it("list returns a gateway's connections sorted by name, and nothing else", async () => {
      const g = gw();
      await store.put(record(g, "slack", 1, { provider: "slack" }), null);
      await store.put(record(g, "github", 1), null);
      await store.put(record(gw(), "other", 1), null);
      await store.createSession(session(randomUUID(), { gatewayId: g }));
      await store.acquireLease(g, "github", "a", NOW, 30_000);
      expect((await store.list(g)).map((r) => r.connection)).toEqual(["github", "slack"]);
      expect((await store.list(g))[0]).toEqual(record(g, "github", 1));
      expect(await store.list(gw())).toEqual([]);
    });

    it("delete removes the connection; false when there was none", async () => {
      const g = gw();
      await store.put(record(g, "github", 1), null);
      expect(await store.delete(g, "github")).toBe(true);
      expect(await store.get(g, "github")).toBeNull();
      expect(await store.delete(g, "github")).toBe(false);
    });

    it("lease: one owner at a time, re-entrant for the owner, free after expiry", async () => {
      const g = gw();
      expect(await store.acquireLease(g, "github", "a", NOW, 30_000)).toBe(true);
      expect(await store.acquireLease(g, "github", "b", NOW + 1000, 30_000)).toBe(false);
      expect(await store.acquireLease(g, "github", "a", NOW + 1000, 30_000)).toBe(true);
      // a's lease now runs to NOW + 31 s
      expect(await store.acquireLease(g, "github", "b", NOW + 30_999, 30_000)).toBe(false);
      expect(await store.acquireLease(g, "github", "b", NOW + 31_000, 30_000)).toBe(true);
      expect(await store.acquireLease(g, "slack", "a", NOW, 30_000)).toBe(true);
    });

    it("lease: concurrent acquires, exactly one wins", async () => {
      const g = gw();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.acquireLease(g, "github", `o${i}`, NOW, 30_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("lease: renew extends only the owner's unexpired lease", async () => {
      const g = gw();
      await store.acquireLease(g, "github", "a", NOW, 10_000);
      expect(await store.renewLease(g, "github", "b", NOW + 1000, 10_000)).toBe(false);
      expect(await store.renewLease(g, "github", "a", NOW + 5000, 10_000)).toBe(true);
      expect(await store.acquireLease(g, "github", "b", NOW + 12_000, 10_000)).toBe(false);
      expect(await store.renewLease(g, "github", "a", NOW + 15_000, 10_000)).toBe(false);
      expect(await store.renewLease(gw(), "github", "a", NOW, 10_000)).toBe(false);
    });

    it("lease: release frees only the owner's lease and never touches the version", async () => {
      const g = gw();
      await store.put(record(g, "github", 1), null);
      await store.acquireLease(g, "github", "a", NOW, 30_000);
      await store.releaseLease(g, "github", "b");
      expect(await store.acquireLease(g, "github", "b", NOW, 30_000)).toBe(false);
      await store.releaseLease(g, "github", "a");
      expect(await store.acquireLease(g, "github", "b", NOW, 30_000)).toBe(true);
      expect((await store.get(g, "github"))?.version).toBe(1);
      await store.releaseLease(gw(), "github", "nobody");
    });

    it("session: created once, read until it expires", async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      await expect(store.createSession(session(id))).rejects.toThrow();
      expect((await store.getSession(id, NOW))?.stage).toBe("issued");
      expect(await store.getSession(id, NOW + 600_000)).toBeNull();
      expect(await store.getSession(randomUUID(), NOW)).toBeNull();
    });

    it("session: started exactly once, and never after expiry", async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      const starts = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.startSession(id, NOW, { stateHash: `s${i}`, browserHash: `b${i}`, sealedVerifier: "v" })),
      );
      const won = starts.filter((s) => s !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ stage: "started", sealedVerifier: "v" });
      const late = randomUUID();
      await store.createSession(session(late));
      expect(await store.startSession(late, NOW + 600_000, { stateHash: "s", browserHash: "b" })).toBeNull();
      expect(await store.startSession(randomUUID(), NOW, { stateHash: "s", browserHash: "b" })).toBeNull();
    });

    it("session: finished exactly once with the matching state, then gone", async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      expect(await store.finishSession(id, "s", NOW)).toBeNull(); // not started yet
      await store.startSession(id, NOW, { stateHash: "s", browserHash: "b" });
      expect(await store.finishSession(id, "other", NOW)).toBeNull();
      const finishes = await Promise.all([store.finishSession(id, "s", NOW), store.finishSession(id, "s", NOW)]);
      expect(finishes.filter((f) => f !== null)).toHaveLength(1);
      expect(finishes.find((f) => f !== null)).toMatchObject({ gatewayId: "gw", connection: "github", browserHash: "b" });
      expect(await store.getSession(id, NOW)).toBeNull();
    });

    it("session: an expired started session cannot be finished", async () => {
      const id = randomUUID();
      await store.createSession(session(id));
      await store.startSession(id, NOW, { stateHash: "s", browserHash: "b" });
      expect(await store.finishSession(id, "s", NOW + 600_000)).toBeNull();
    });
  });
}
