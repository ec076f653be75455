import { describe, expect, it } from "vitest";
import { oauth } from "../../schema/index.ts";
import { pkceMatches, STAND_IN_CLIENT } from "./support/provider-harness.ts";
import { client, HOUR, presetGateway, standInForFile } from "./support/stand-in-suite.ts";

const standIn = await standInForFile();

describe("Microsoft: tenant in the URLs, offline_access, response_mode=query, PKCE, identity from the id_token", () => {
  it("connects to the tenant, refreshes, and invalid_client (AADSTS7000215) makes it misconfigured without touching the grant", async () => {
    const h = presetGateway(oauth.microsoft({ ...client, scopes: ["User.Read"], tenant: "contoso.example" }), {
      microsoft: { authorizationUrl: `${standIn.url}/{tenant}/oauth2/v2.0/authorize`, tokenUrl: `${standIn.url}/{tenant}/oauth2/v2.0/token` },
    });
    let challenge: string | null = null;
    let broken = false;
    const idToken = [
      "e30",
      Buffer.from(JSON.stringify({ oid: "oid-1", tid: "tid-1", preferred_username: "ada@contoso.example" })).toString("base64url"),
      "sig",
    ].join(".");
    standIn.route("POST /contoso.example/oauth2/v2.0/token", (request) => {
      if (request.fields.client_secret !== STAND_IN_CLIENT.secret || broken) {
        return { status: 401, json: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] } };
      }
      if (request.fields.grant_type === "authorization_code") {
        if (!pkceMatches(request.fields.code_verifier, challenge))
          return { status: 400, json: { error: "invalid_grant", error_description: "AADSTS501481: code_verifier" } };
        return {
          json: {
            token_type: "Bearer",
            scope: "User.Read profile openid",
            expires_in: 4417,
            ext_expires_in: 4417,
            access_token: "ms-at-1",
            refresh_token: "ms-rt-1",
            id_token: idToken,
          },
        };
      }
      return { json: { token_type: "Bearer", scope: "User.Read profile openid", expires_in: 3900, access_token: "ms-at-2", refresh_token: "ms-rt-2" } };
    });
    const { authorize, page, html } = await h.connect((url) => {
      challenge = url.searchParams.get("code_challenge");
      return { code: "ms-code" };
    });
    expect(authorize.pathname).toBe("/contoso.example/oauth2/v2.0/authorize");
    expect(authorize.searchParams.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["offline_access", "openid", "User.Read"]));
    expect(authorize.searchParams.get("response_mode")).toBe("query");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as ada@contoso.example");
    expect(await h.store.get(h.gateway.id, "conn")).toMatchObject({ identity: { id: "oid-1", details: { tenant: "tid-1" } } });
    expect(html).toContain("Not granted"); // offline_access is not echoed back in scope

    h.clock.advance(2 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "ms-at-2" });
    broken = true;
    h.clock.advance(2 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toMatchObject({ ok: false, status: "misconfigured" });
    expect(await h.tokens()).toMatchObject({ refreshToken: "ms-rt-2" });
    const attempts = standIn.seen.length;
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toMatchObject({ ok: false, status: "misconfigured" });
    expect(standIn.seen.length).toBe(attempts); // cool-down: the provider is not hammered
    broken = false;
    h.clock.advance(60_000);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "ms-at-2" });
    expect(await h.store.get(h.gateway.id, "conn")).toMatchObject({ status: "connected" });
  });
});

describe("Google: offline access + prompt=consent, PKCE, refresh replies without a refresh token", () => {
  it("asks for offline access with consent, keeps the refresh token it has, and invalid_rapt is a dead grant", async () => {
    const h = presetGateway(oauth.google({ ...client, scopes: ["https://www.googleapis.com/auth/drive.readonly"] }), {
      google: { authorizationUrl: `${standIn.url}/o/oauth2/v2/auth`, tokenUrl: `${standIn.url}/token`, userinfoUrl: `${standIn.url}/v1/userinfo` },
    });
    let refreshes = 0;
    standIn.route("POST /token", (request) => {
      if (request.fields.client_secret !== STAND_IN_CLIENT.secret)
        return { status: 401, json: { error: "invalid_client", error_description: "The OAuth client was not found." } };
      if (request.fields.grant_type === "authorization_code") {
        return {
          json: {
            access_token: "ya29.a",
            expires_in: 3599,
            refresh_token: "1//rt",
            scope: "openid https://www.googleapis.com/auth/drive.readonly email profile",
            token_type: "Bearer",
            id_token: "x.e30.y",
          },
        };
      }
      refreshes++;
      if (refreshes > 2)
        return { status: 400, json: { error: "invalid_grant", error_subtype: "invalid_rapt", error_description: "reauth related error (invalid_rapt)" } };
      expect(request.fields.refresh_token).toBe("1//rt");
      return { json: { access_token: `ya29.r${refreshes}`, expires_in: 3599, scope: "openid email profile", token_type: "Bearer" } }; // no refresh_token
    });
    standIn.route("GET /v1/userinfo", (request) =>
      request.headers.authorization === "Bearer ya29.a" ? { json: { sub: "1170", email: "ada@gmail.test", name: "Ada" } } : { status: 401, json: {} },
    );
    const { authorize, html } = await h.connect(() => ({ code: "g-code", scope: "ignored" }));
    expect(authorize.searchParams.get("access_type")).toBe("offline");
    expect(authorize.searchParams.get("prompt")).toBe("consent");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid email profile https://www.googleapis.com/auth/drive.readonly");
    expect(html).toContain("Connected as ada@gmail.test");
    h.clock.advance(HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "ya29.r1" });
    expect((await h.tokens()).refreshToken).toBe("1//rt");
    h.clock.advance(HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "ya29.r2" });
    h.clock.advance(HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toMatchObject({ ok: false, status: "needs_reauthorization" });
  });
});
