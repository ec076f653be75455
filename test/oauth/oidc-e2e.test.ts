import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTokens } from "../../functions/oauth/token-vault.ts";
import { CLIENT_ID, CLIENT_SECRET, connectHeadless, startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Revokes a token at oidc-provider (RFC 7009), as a user removing the app would. */
async function revokeAtProvider(h: OidcGateway, token: string): Promise<void> {
  const response = await fetch(`${h.oidc.issuer}/token/revocation`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  expect(response.status).toBe(200);
}

async function storedTokens(h: OidcGateway) {
  const record = await h.store.get(h.gateway.id, "idp");
  return { record: record!, tokens: await openTokens(h.box, h.gateway.id, "idp", record!.sealedTokens!) };
}

describe("OAuth end to end against oidc-provider (rotating refresh tokens, no clock tolerance)", () => {
  let h: OidcGateway;
  beforeAll(async () => {
    h = await startOidcGateway({ accessTokenTtl: 2, refresh: { skewMs: 300 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("connects, injects, refreshes on expiry and after a 401, and turns a revoked grant into needs re-authorization", async () => {
    // Not connected yet: the proxied call says so and how to connect.
    const before = await h.proxy();
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ code: "CONNECTION_NOT_CONNECTED", connection: "idp", reconnect: "gatehouse connect e2e idp" });

    // Connect through an operator-issued one-time session.
    const session = await h.oauth.createConnectSession(h.gateway, "idp", h.base);
    expect(session.url).toMatch(new RegExp(`^${h.base}/api/${h.gateway.id}/oauth/idp/start\\?session=[A-Za-z0-9_-]{43}$`));
    const page = await connectHeadless(session.url);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Connected as user-1@example.test");
    expect(page.html).toContain("offline_access");
    const authorize = new URL(page.hops[2]!); // start (GET: confirm page), start (POST: the button), then the provider
    expect(authorize.origin).toBe(h.oidc.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${h.base}/api/${h.gateway.id}/oauth/idp/callback`);
    expect(h.oidc.grants.authorization_code).toBe(1);

    // The start link is single use.
    const replay = await fetch(session.url, { redirect: "manual" });
    expect(replay.status).toBe(410);

    const { record, tokens } = await storedTokens(h);
    expect(record).toMatchObject({ version: 1, status: "connected", refreshable: true, identity: { id: "user-1", label: "user-1@example.test" } });
    expect(record.sealedTokens).not.toContain(tokens.accessToken);
    expect(tokens.refreshToken).toBeTruthy();

    // Proxied with the injected bearer; the upstream checked it at userinfo.
    const first = await h.proxy();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ sub: "user-1" });
    expect(h.bearersSeen.at(-1)).toBe(tokens.accessToken);
    expect(h.bearersSeen).not.toContain(h.clientToken);

    // Expiry: after 2 s the authorization server refuses the old token; the gateway refreshed first.
    await sleep(2100);
    const stale = await fetch(`${h.oidc.issuer}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(stale.status).toBe(401);
    const second = await h.proxy();
    expect(second.status).toBe(200);
    expect(h.oidc.grants.refresh_token).toBe(1);
    const afterRefresh = await storedTokens(h);
    expect(afterRefresh.record).toMatchObject({ version: 2, status: "connected" });
    expect(afterRefresh.record.lastRefreshAt).not.toBeNull();
    expect(afterRefresh.tokens.accessToken).not.toBe(tokens.accessToken);
    expect(afterRefresh.tokens.refreshToken).not.toBe(tokens.refreshToken); // rotated
    expect(h.bearersSeen.at(-1)).toBe(afterRefresh.tokens.accessToken);

    // A token the upstream rejects although it has not expired is refreshed once and the call replayed.
    h.upstreamRejects.add(afterRefresh.tokens.accessToken);
    const third = await h.proxy();
    expect(third.status).toBe(200);
    expect(h.oidc.grants.refresh_token).toBe(2);
    expect(h.bearersSeen.slice(-2)).toEqual([afterRefresh.tokens.accessToken, (await storedTokens(h)).tokens.accessToken]);

    // The user revokes the grant (oidc-provider revokes every token of the grant): the upstream
    // answers 401, the refresh gets invalid_grant -> needs re-authorization.
    const current = await storedTokens(h);
    await revokeAtProvider(h, current.tokens.refreshToken!);
    expect((await fetch(`${h.oidc.issuer}/me`, { headers: { authorization: `Bearer ${current.tokens.accessToken}` } })).status).toBe(401);
    const dead = await h.proxy();
    expect(dead.status).toBe(503);
    expect(dead.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await dead.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ code: "CONNECTION_NEEDS_REAUTHORIZATION", connection: "idp", reconnect: "gatehouse connect e2e idp" });
    expect(String(problem.detail)).toMatch(/reconnect/);
    const marked = await h.store.get(h.gateway.id, "idp");
    expect(marked).toMatchObject({ status: "needs_reauthorization", lastError: { class: "grant_dead", code: "invalid_grant" } });
    const errorsSoFar = h.oidc.grants.errors.length;
    expect((await h.proxy()).status).toBe(503);
    expect(h.oidc.grants.errors.length).toBe(errorsSoFar); // a dead grant is not retried at the provider

    // Reconnecting repairs it in place.
    const again = await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url);
    expect(again.status).toBe(200);
    expect((await h.proxy()).status).toBe(200);
    expect(await h.store.get(h.gateway.id, "idp")).toMatchObject({ status: "connected", lastError: null });

    // Audit: connect, refresh and refresh failure, and no token or code anywhere in audit or logs.
    const events = h.audit.records.map((r) => `${r.event}:${r.decision}`);
    expect(events.filter((e) => e === "oauth.connect:OK")).toHaveLength(2);
    expect(events.filter((e) => e === "oauth.refresh:OK")).toHaveLength(2);
    expect(events).toContain("oauth.refresh_failed:GRANT_DEAD");
    const written = JSON.stringify(h.audit.records) + h.logLines.join("\n");
    for (const secretValue of [...new Set(h.bearersSeen)].filter(Boolean)) expect(written).not.toContain(secretValue);
    expect(written).not.toContain(tokens.refreshToken!);
    expect(written).not.toContain(CLIENT_SECRET);
    expect(written).not.toMatch(/code=/);
  });
});

describe("50 concurrent proxied requests on an expired access token", () => {
  let h: OidcGateway;
  beforeAll(async () => {
    // A short skew so the refreshed 3 s token is not due again before the 50 calls are through.
    h = await startOidcGateway({ accessTokenTtl: 3, refresh: { skewMs: 300 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sends exactly one refresh to the provider and all 50 succeed", async () => {
    expect((await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url)).status).toBe(200);
    expect((await h.proxy()).status).toBe(200);
    await sleep(3050);
    h.oidc.setRefreshDelay(150); // a slow token endpoint widens the race
    const responses = await Promise.all(Array.from({ length: 50 }, () => h.proxy()));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(h.oidc.grants.refresh_token).toBe(1);
    expect(h.oidc.grants.errors).toEqual([]);
    const { tokens } = await storedTokens(h);
    expect(new Set(h.bearersSeen.slice(-50))).toEqual(new Set([tokens.accessToken]));
  });
});
