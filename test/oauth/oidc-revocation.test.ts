import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTokens } from "../../functions/oauth/token-vault.ts";
import { CLIENT_ID, CLIENT_SECRET, connectHeadless, startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";

/** Asks oidc-provider's introspection endpoint (RFC 7662) whether a token is still active. */
async function active(h: OidcGateway, token: string): Promise<boolean> {
  const response = await fetch(`${h.oidc.issuer}/token/introspection`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { active: boolean }).active;
}

describe("disconnect against oidc-provider's real RFC 7009 revocation endpoint", () => {
  let h: OidcGateway;
  beforeAll(async () => {
    h = await startOidcGateway({ accessTokenTtl: 60, revocation: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("revokes the refresh token (and with it the grant), removes the record, and the next proxied call says not connected", async () => {
    expect((await connectHeadless((await h.oauth.createConnectSession(h.gateway, "idp", h.base)).url)).status).toBe(200);
    const record = await h.store.get(h.gateway.id, "idp");
    const tokens = await openTokens(h.box, h.gateway.id, "idp", record!.sealedTokens!);
    expect(await active(h, tokens.refreshToken!)).toBe(true);
    expect((await h.proxy()).status).toBe(200);

    const result = await h.oauth.disconnect(h.gateway, "idp");
    expect(result).toMatchObject({ removed: true, revoked: "revoked", reason: null });
    expect(await active(h, tokens.refreshToken!)).toBe(false);
    // oidc-provider revokes the whole grant with its refresh token: the access token is dead too.
    expect(await active(h, tokens.accessToken)).toBe(false);
    expect(await h.store.get(h.gateway.id, "idp")).toBeNull();
    const after = await h.proxy();
    expect(after.status).toBe(503);
    expect(await after.json()).toMatchObject({ code: "CONNECTION_NOT_CONNECTED" });
    expect(h.audit.records.filter((r) => r.event === "oauth.disconnect").map((r) => `${r.decision}:${r.upstreamStatus}`)).toEqual(["REVOKED:200"]);
    const written = JSON.stringify(h.audit.records) + h.logLines.join("\n");
    expect(written).not.toContain(tokens.refreshToken!);
    expect(written).not.toContain(CLIENT_SECRET);
  });
});
