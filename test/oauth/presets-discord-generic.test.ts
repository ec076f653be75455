import { describe, expect, it } from "vitest";
import { oauth } from "../../schema/index.ts";
import { basicOf, pkceMatches, STAND_IN_CLIENT } from "./support/provider-harness.ts";
import { client, HOUR, presetGateway, tokenEvents, standInForFile } from "./support/stand-in-suite.ts";

const standIn = await standInForFile();

describe("Discord: PKCE S256 with a verifier of 43+ characters, RFC 9207 iss, 429 is transient", () => {
  const discord = () =>
    presetGateway(oauth.discord({ ...client, scopes: ["guilds"] }), {
      discord: {
        authorizationUrl: `${standIn.url}/oauth2/authorize`,
        tokenUrl: `${standIn.url}/api/oauth2/token`,
        userinfoUrl: `${standIn.url}/api/users/@me`,
      },
    });

  it("refuses a callback without iss or with another issuer", async () => {
    const h = discord();
    const missing = await h.connect(() => ({ code: "d" }));
    expect(missing.page.status).toBe(400);
    expect(missing.html).toContain("iss");
    const wrong = await h.connect(() => ({ code: "d", iss: "https://evil.example" }));
    expect(wrong.page.status).toBe(400);
    expect(standIn.seen).toHaveLength(0); // no code was exchanged
    expect(tokenEvents(h)).toEqual(["oauth.connect:CONNECT_ISSUER_MISMATCH", "oauth.connect:CONNECT_ISSUER_MISMATCH"]);
  });

  it("exchanges with the verifier, retries a 429 after retry_after, and a bad refresh_token is a dead grant", async () => {
    const h = discord();
    let challenge: string | null = null;
    let refreshes = 0;
    standIn.route("POST /api/oauth2/token", (request) => {
      if (basicOf(request)?.secret !== STAND_IN_CLIENT.secret) return { status: 401, json: { error: "invalid_client" } };
      if (request.fields.grant_type === "authorization_code") {
        if ((request.fields.code_verifier ?? "").length < 43 || !pkceMatches(request.fields.code_verifier, challenge)) {
          return { status: 400, json: { error: "invalid_request", error_description: 'Invalid "code_verifier"' } };
        }
        return { json: { access_token: "d-at-1", token_type: "Bearer", expires_in: 604800, refresh_token: "d-rt-1", scope: "identify guilds" } };
      }
      refreshes++;
      if (refreshes === 1) return { status: 429, json: { message: "You are being rate limited.", retry_after: 0.05, global: false } };
      if (refreshes === 2)
        return { json: { access_token: "d-at-2", token_type: "Bearer", expires_in: 604800, refresh_token: "d-rt-2", scope: "identify guilds" } };
      return { status: 400, json: { error: "invalid_request", error_description: 'Invalid "refresh_token" in request.' } };
    });
    standIn.route("GET /api/users/@me", () => ({ json: { id: "80351110224678912", username: "nelly", global_name: "Nelly" } }));
    const { authorize, page, html } = await h.connect((url) => {
      challenge = url.searchParams.get("code_challenge");
      return { code: "d-code", iss: "https://discord.com" };
    });
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("identify guilds");
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as Nelly");
    h.clock.advance(7 * 24 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "d-at-2" });
    expect(refreshes).toBe(2);
    h.clock.advance(7 * 24 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toMatchObject({ ok: false, status: "needs_reauthorization" });
  });
});

describe("generic: client credentials with form-encoded Basic credentials (RFC 6749 §2.3.1)", () => {
  it("gets a token without a browser step, keeps it until due, and the start page says no connect is needed", async () => {
    const h = presetGateway(oauth.generic({ ...client, grant: "client_credentials", tokenUrl: `${standIn.url}/oauth/token`, scopes: ["read", "write"] }), {});
    standIn.route("POST /oauth/token", (request) => {
      const basic = basicOf(request)!;
      if (decodeURIComponent(basic.secret.replace(/\+/g, " ")) !== STAND_IN_CLIENT.secret || basic.secret === STAND_IN_CLIENT.secret) {
        return { status: 401, json: { error: "invalid_client" } };
      }
      return { json: { access_token: `cc-${standIn.seen.length}`, token_type: "Bearer", expires_in: 600, scope: request.fields.scope } };
    });
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "cc-1" });
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "cc-1" });
    expect(standIn.seen[0]!.fields).toEqual({ grant_type: "client_credentials", scope: "read write" });
    h.clock.advance(10 * 60_000);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "cc-2" });
    const { start, html } = await h.connect(() => ({}));
    expect(start.status).toBe(400);
    expect(html).toContain("needs no browser step");
  });
});
