import { describe, expect, it } from "vitest";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { MemoryConnectionStore } from "../../functions/adapters/memory/memory-connection-store.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { withConnectionLease } from "../../functions/oauth/connection-lease.ts";
import { DecryptedTokenCache } from "../../functions/oauth/decrypted-token-cache.ts";
import { DEFAULT_REFRESH_SETTINGS } from "../../functions/oauth/oauth-context.ts";
import { requestTokensWithRetry } from "../../functions/oauth/request-tokens-with-retry.ts";
import { resolvePreset } from "../../functions/oauth/resolve-preset.ts";
import { sealTokens } from "../../functions/oauth/token-vault.ts";
import type { ConnectionRecord } from "../../functions/ports/connection-store.ts";
import type { OAuthHttp, OAuthHttpResponse } from "../../functions/ports/oauth-http.ts";
import type { Log } from "../../functions/ports/log.ts";
import { defineGateway, oauth, secret } from "../../schema/index.ts";

const gateway = defineGateway({
  name: "parts",
  connections: {
    idp: oauth.generic({
      clientId: "client-1",
      clientSecret: secret("CLIENT_SECRET"),
      grant: "client_credentials",
      tokenUrl: "https://idp.example/token",
      scopes: ["read"],
    }),
  },
  endpoints: { api: { upstream: "https://api.example", methods: ["GET"], connection: "idp" } },
});
const silent: Log = { info: () => {}, warn: () => {}, error: () => {} };
const box = new LocalSecretBox(Buffer.alloc(32, 7));

function record(version: number, sealedTokens: string | null): ConnectionRecord {
  return {
    gatewayId: gateway.id,
    connection: "idp",
    provider: "generic",
    version,
    status: "connected",
    sealedTokens,
    identity: null,
    scopes: ["read"],
    expiresAt: null,
    refreshable: false,
    connectedAt: 0,
    lastRefreshAt: null,
    lastError: null,
    updatedAt: 0,
  };
}

describe("DecryptedTokenCache", () => {
  it("opens a record once per version and re-opens when the version moves", async () => {
    const opened: string[] = [];
    const countingBox = {
      seal: box.seal.bind(box),
      open: (sealed: string, context: Parameters<typeof box.open>[1]) => (opened.push(sealed), box.open(sealed, context)),
    };
    const cache = new DecryptedTokenCache(countingBox);
    const first = await sealTokens(box, gateway.id, "idp", { accessToken: "at-1", refreshToken: null, lifetimeMs: null, refreshTokenExpiresAt: null });
    const second = await sealTokens(box, gateway.id, "idp", { accessToken: "at-2", refreshToken: null, lifetimeMs: null, refreshTokenExpiresAt: null });
    expect((await cache.open(record(1, first), 10))?.accessToken).toBe("at-1");
    expect((await cache.open(record(1, first), 20))?.accessToken).toBe("at-1");
    expect(opened).toHaveLength(1);
    expect((await cache.open(record(2, second), 30))?.accessToken).toBe("at-2");
    expect(opened).toHaveLength(2);
    expect(cache.get(gateway.id, "idp")).toMatchObject({ version: 2, readAt: 30 });
    expect(await cache.open(record(3, null), 40)).toBeNull();
    cache.forget(gateway.id, "idp");
    expect(cache.get(gateway.id, "idp")).toBeUndefined();
  });
});

describe("withConnectionLease", () => {
  const settings = { ...DEFAULT_REFRESH_SETTINGS, leaseMs: 30_000, pollMs: 5, waitMs: 200 };

  it("runs the work holding the lease and releases it after", async () => {
    const store = new MemoryConnectionStore();
    const clock = new TestClock();
    const verdict = await withConnectionLease(
      { store, clock, settings, instanceId: "a" },
      gateway,
      "idp",
      null,
      async () => ({ ok: false, status: "unavailable", message: "moved" }),
      async () => {
        // While the work runs, nobody else can take the lease.
        expect(await store.acquireLease(gateway.id, "idp", "other", clock.now(), 30_000)).toBe(false);
        return { ok: true, token: "fresh" };
      },
    );
    expect(verdict).toEqual({ ok: true, token: "fresh" });
    expect(await store.acquireLease(gateway.id, "idp", "other", clock.now(), 30_000)).toBe(true);
  });

  it("judges the new record instead when another holder moves the version, without running the work", async () => {
    const store = new MemoryConnectionStore();
    const clock = new TestClock();
    expect(await store.acquireLease(gateway.id, "idp", "holder", clock.now(), 30_000)).toBe(true);
    let worked = false;
    const waiting = withConnectionLease(
      { store, clock, settings, instanceId: "a" },
      gateway,
      "idp",
      null,
      async (current) => ({ ok: true, token: `judged v${current?.version}` }),
      async () => {
        worked = true;
        return { ok: true, token: "mine" };
      },
    );
    expect(await store.put(record(1, null), null)).toBe(true);
    expect(await waiting).toEqual({ ok: true, token: "judged v1" });
    expect(worked).toBe(false);
  });

  it("gives up with unavailable after the wall-clock wait although the test clock stands still", async () => {
    const store = new MemoryConnectionStore();
    const clock = new TestClock();
    expect(await store.acquireLease(gateway.id, "idp", "holder", clock.now(), 30_000)).toBe(true);
    const verdict = await withConnectionLease(
      { store, clock, settings: { ...settings, waitMs: 50 }, instanceId: "a" },
      gateway,
      "idp",
      null,
      async () => ({ ok: true, token: "x" }),
      async () => ({ ok: true, token: "y" }),
    );
    expect(verdict).toEqual({ ok: false, status: "unavailable", message: "another process has been refreshing connection 'idp' for too long" });
  });
});

describe("requestTokensWithRetry", () => {
  const preset = resolvePreset(gateway.connections.idp!);
  const ctx = (replies: OAuthHttpResponse[], sent: string[]) => {
    const http: OAuthHttp = {
      send: async (url, init) => {
        sent.push(`${init.method} ${url} ${init.body ?? ""}`);
        return replies.shift()!;
      },
      close: async () => {},
    };
    return { http, clock: new TestClock(), log: silent, settings: { ...DEFAULT_REFRESH_SETTINGS, retryBaseMs: 1, maxAttempts: 3 }, preset: () => preset };
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): OAuthHttpResponse => ({
    status,
    headers: { "content-type": "application/json", ...headers },
    text: JSON.stringify(body),
  });

  it("retries transient failures and returns the first success", async () => {
    const sent: string[] = [];
    const result = await requestTokensWithRetry(
      ctx([json(503, {}), json(502, {}), json(200, { access_token: "at", token_type: "Bearer", expires_in: 60 })], sent),
      gateway,
      "idp",
      { clientId: "client-1", clientSecret: "s" },
      "client_credentials",
      null,
    );
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^POST https:\/\/idp\.example\/token .*grant_type=client_credentials/);
    expect(result).toMatchObject({ tokens: { accessToken: "at" } });
  });

  it("stops at the first failure that is not transient", async () => {
    const sent: string[] = [];
    const result = await requestTokensWithRetry(
      ctx([json(401, { error: "invalid_client" }), json(200, { access_token: "never" })], sent),
      gateway,
      "idp",
      { clientId: "client-1", clientSecret: "s" },
      "client_credentials",
      null,
    );
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ class: "misconfigured", code: "invalid_client" });
  });

  it("stops when the provider asks to wait longer than allowed", async () => {
    const sent: string[] = [];
    const result = await requestTokensWithRetry(
      ctx([json(429, {}, { "retry-after": "60" }), json(200, { access_token: "never" })], sent),
      gateway,
      "idp",
      { clientId: "client-1", clientSecret: "s" },
      "client_credentials",
      null,
    );
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ class: "transient", retryAfterMs: 60_000 });
  });
});
