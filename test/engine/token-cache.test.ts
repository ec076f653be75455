import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { sha256Hex } from "../../functions/tokens/sha256.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// The token cache is keyed by the raw token: a hit costs no SHA-256 (and no checksum), a miss
// checks the form before hashing and asking the store, and the TTL still bounds revocation.

let upstream: UpstreamStub;
let h: Harness;
const hashed: string[] = [];
const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 0));

beforeAll(async () => {
  upstream = await startUpstream();
  h = await startHarness(
    { name: "cache", endpoints: { api: { upstream: `${upstream.url}/v1`, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } },
    { clock, ports: { hashToken: (token) => (hashed.push(token), sha256Hex(token)) }, engine: { tokenCacheSeconds: 10 } },
  );
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

const call = (token: string) => send(h.url("api", "/x"), { headers: { authorization: `Bearer ${token}` } });

describe("the token cache, keyed by the raw token", () => {
  it("hashes a token once for three requests, and a second token once more", async () => {
    const first = await h.token();
    const second = await h.token();
    hashed.length = 0;
    for (let i = 0; i < 3; i++) expect((await call(first.token)).status).toBe(200);
    expect(hashed).toEqual([first.token]);
    expect((await call(second.token)).status).toBe(200);
    expect((await call(second.token)).status).toBe(200);
    expect(hashed).toEqual([first.token, second.token]);
  });

  it("refuses a token whose checksum is wrong as malformed, without hashing it, even next to a cached one", async () => {
    const { token } = await h.token();
    expect((await call(token)).status).toBe(200);
    hashed.length = 0;
    const last = token.at(-1) === "0" ? "1" : "0";
    const forged = `${token.slice(0, -1)}${last}`;
    const before = h.ports.audit.records.length;
    const res = await call(forged);
    expect(res.status).toBe(401);
    expect(hashed).toEqual([]);
    const records = await h.audit(before + 1);
    expect(records.at(-1)!).toMatchObject({ decision: "TOKEN_INVALID", reason: "malformed token", tokenId: null });
  });

  it("asks the store again after the TTL, so a revoked token is refused within it", async () => {
    const { token, id } = await h.token();
    expect((await call(token)).status).toBe(200);
    await h.ports.tokens.revoke(id, clock.now());
    // Within the TTL the cached record still admits it (the documented delay)...
    expect((await call(token)).status).toBe(200);
    clock.advance(10_001);
    hashed.length = 0;
    const before = h.ports.audit.records.length;
    expect((await call(token)).status).toBe(401);
    expect(hashed).toEqual([token]);
    expect((await h.audit(before + 1)).at(-1)!).toMatchObject({ decision: "TOKEN_INVALID", reason: "revoked token" });
  });
});
