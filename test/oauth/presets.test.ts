import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import type { ConnectionInput } from "../../schema/connection.ts";
import { basicOf, pkceMatches, presetHarness, startStandIn, STAND_IN_CLIENT, type PresetHarness, type ProviderStandIn } from "./support/provider-harness.ts";

const HOUR = 3600_000;
let standIn: ProviderStandIn;
let h: PresetHarness;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn?.close();
});
afterEach(async () => {
  await h?.close();
  standIn.seen.length = 0;
});

function harness(connection: ConnectionInput, endpoints: Record<string, Record<string, string>>) {
  const gateway = defineGateway({
    name: "presets",
    connections: { conn: connection },
    endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
  });
  return presetHarness(gateway, endpoints, "CLIENT_SECRET");
}

const client = { clientId: STAND_IN_CLIENT.id, clientSecret: secret("CLIENT_SECRET") };
const tokenEvents = () => h.audit.records.map((r) => `${r.event}:${r.decision}`);

describe("Slack: Basic auth, comma scopes and user_scope, ok:false errors, bot and user tokens, no PKCE", () => {
  it("stores the user token from authed_user, refreshes it from the top level, and ok:false invalid_refresh_token is a dead grant", async () => {
    h = harness(oauth.slack({ ...client, scopes: ["chat:write", "channels:read"], userScopes: ["search:read"], token: "user" }), {
      slack: { authorizationUrl: `${standIn.url}/oauth/v2/authorize`, tokenUrl: `${standIn.url}/api/oauth.v2.access` },
    });
    let refreshes = 0;
    standIn.route("POST /api/oauth.v2.access", (request) => {
      const basic = basicOf(request);
      if (basic?.id !== STAND_IN_CLIENT.id || basic.secret !== STAND_IN_CLIENT.secret || request.fields.client_secret) {
        return { json: { ok: false, error: "bad_client_secret" } };
      }
      if (request.fields.grant_type === "authorization_code") {
        return {
          json: {
            ok: true,
            access_token: "xoxe.xoxb-bot-1",
            token_type: "bot",
            scope: "chat:write,channels:read",
            bot_user_id: "B01",
            refresh_token: "xoxe-1-bot",
            expires_in: 43200,
            team: { id: "T01", name: "Acme" },
            authed_user: {
              id: "U01",
              scope: "search:read",
              access_token: "xoxe.xoxp-user-1",
              token_type: "user",
              refresh_token: "xoxe-1-user-1",
              expires_in: 43200,
            },
          },
        };
      }
      refreshes++;
      if (request.fields.refresh_token === "xoxe-1-user-1") {
        return {
          json: { ok: true, access_token: "xoxe.xoxp-user-2", token_type: "user", refresh_token: "xoxe-1-user-2", expires_in: 43200, scope: "search:read" },
        };
      }
      return { json: { ok: false, error: "invalid_refresh_token" } }; // HTTP 200, as Slack does
    });

    const { authorize, page, html } = await h.connect(() => ({ code: "slack-code" }));
    expect(authorize.searchParams.get("scope")).toBe("chat:write,channels:read");
    expect(authorize.searchParams.get("user_scope")).toBe("search:read");
    expect(authorize.searchParams.has("code_challenge")).toBe(false);
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as Acme / U01");
    expect(await h.tokens()).toMatchObject({ accessToken: "xoxe.xoxp-user-1", refreshToken: "xoxe-1-user-1" });
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "xoxe.xoxp-user-1" });

    h.clock.advance(12 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "xoxe.xoxp-user-2" });
    h.clock.advance(12 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toMatchObject({ ok: false, status: "needs_reauthorization" });
    expect(refreshes).toBe(2);
    expect(await h.store.get(h.gateway.id, "conn")).toMatchObject({ status: "needs_reauthorization", lastError: { code: "invalid_refresh_token" } });
  });

  it("ok:false bad_client_secret (HTTP 200) on the code exchange is a misconfigured client, shown on the page", async () => {
    h = harness(oauth.slack({ ...client, scopes: ["chat:write"] }), { slack: { authorizationUrl: `${standIn.url}/a`, tokenUrl: `${standIn.url}/bad` } });
    standIn.route("POST /bad", () => ({ json: { ok: false, error: "bad_client_secret" } }));
    const { page, html } = await h.connect(() => ({ code: "c" }));
    expect(page.status).toBe(502);
    expect(html).toContain("bad_client_secret");
    expect(html).toContain("An operator must fix");
    expect(await h.store.get(h.gateway.id, "conn")).toBeNull();
    expect(tokenEvents()).toContain("oauth.connect:CONNECT_MISCONFIGURED");
  });
});

describe("Notion: Basic auth + JSON body + Notion-Version, owner=user, its own error envelope, no expires_in", () => {
  it("connects, refreshes only when the upstream rejects the token, and maps invalid_grant / unauthorized", async () => {
    h = harness(oauth.notion(client), { notion: { authorizationUrl: `${standIn.url}/v1/oauth/authorize`, tokenUrl: `${standIn.url}/v1/oauth/token` } });
    let next: "ok" | "dead" | "client" = "ok";
    standIn.route("POST /v1/oauth/token", (request) => {
      const basic = basicOf(request);
      if (!request.headers["content-type"]?.startsWith("application/json") || !request.headers["notion-version"]) {
        return { status: 400, json: { object: "error", status: 400, code: "missing_version", message: "Notion-Version header missing" } };
      }
      if (basic?.secret !== STAND_IN_CLIENT.secret)
        return { status: 401, json: { object: "error", status: 401, code: "unauthorized", message: "API token is invalid." } };
      if (request.fields.grant_type === "authorization_code") {
        expect(request.fields.redirect_uri).toBe(`https://gw.example.test/api/${h.gateway.id}/oauth/conn/callback`);
        return {
          json: {
            access_token: "ntn_1",
            token_type: "bearer",
            refresh_token: "nr_1",
            bot_id: "bot-1",
            workspace_id: "ws-1",
            workspace_name: "Acme Wiki",
            owner: { type: "user", user: { id: "u-1", name: "Ada", person: { email: "ada@acme.test" } } },
            request_id: "r1",
          },
        };
      }
      if (next === "dead")
        return { status: 400, json: { object: "error", status: 400, code: "invalid_grant", message: "Invalid refresh token.", request_id: "r2" } };
      if (next === "client") return { status: 401, json: { object: "error", status: 401, code: "unauthorized", message: "API token is invalid." } };
      return { json: { access_token: "ntn_2", token_type: "bearer", refresh_token: "nr_2", bot_id: "bot-1" } };
    });

    const { authorize, page, html } = await h.connect(() => ({ code: "notion-code" }));
    expect(authorize.searchParams.get("owner")).toBe("user");
    expect(authorize.searchParams.has("scope")).toBe(false);
    expect(authorize.searchParams.has("code_challenge")).toBe(false);
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as Acme Wiki / ada@acme.test");
    expect(await h.store.get(h.gateway.id, "conn")).toMatchObject({ expiresAt: null, refreshable: true });

    // No expiry known: a year later the token is still used as it is, with no refresh.
    h.clock.advance(365 * 24 * HOUR);
    expect(await h.oauth.connections.accessToken(h.gateway, "conn")).toEqual({ ok: true, token: "ntn_1" });
    expect(standIn.seen.filter((r) => r.fields.grant_type === "refresh_token")).toHaveLength(0);
    // The upstream says 401: refreshed with a JSON body and Basic auth.
    expect(await h.oauth.connections.accessToken(h.gateway, "conn", { rejected: "ntn_1" })).toEqual({ ok: true, token: "ntn_2" });
    const refresh = standIn.seen.find((r) => r.fields.grant_type === "refresh_token")!;
    expect(JSON.parse(refresh.body)).toEqual({ grant_type: "refresh_token", refresh_token: "nr_1" });
    expect(refresh.headers["notion-version"]).toBeTruthy();

    next = "client";
    expect(await h.oauth.connections.accessToken(h.gateway, "conn", { rejected: "ntn_2" })).toMatchObject({ ok: false, status: "misconfigured" });
    expect(await h.store.get(h.gateway.id, "conn")).toMatchObject({ status: "misconfigured", lastError: { class: "misconfigured", code: "unauthorized" } });
    expect((await h.tokens()).refreshToken).toBe("nr_2"); // the user's grant is left alone
    h.clock.advance(60_000); // past the cool-down
    next = "dead";
    expect(await h.oauth.connections.accessToken(h.gateway, "conn", { rejected: "ntn_2" })).toMatchObject({ ok: false, status: "needs_reauthorization" });
    expect(tokenEvents()).toEqual(expect.arrayContaining(["oauth.refresh:OK", "oauth.refresh_failed:CLIENT_MISCONFIGURED", "oauth.refresh_failed:GRANT_DEAD"]));
  });
});

describe("Microsoft: tenant in the URLs, offline_access, response_mode=query, PKCE, identity from the id_token", () => {
  it("connects to the tenant, refreshes, and invalid_client (AADSTS7000215) makes it misconfigured without touching the grant", async () => {
    h = harness(oauth.microsoft({ ...client, scopes: ["User.Read"], tenant: "contoso.example" }), {
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
    h = harness(oauth.google({ ...client, scopes: ["https://www.googleapis.com/auth/drive.readonly"] }), {
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

describe("Discord: PKCE S256 with a verifier of 43+ characters, RFC 9207 iss, 429 is transient", () => {
  const discord = () =>
    harness(oauth.discord({ ...client, scopes: ["guilds"] }), {
      discord: {
        authorizationUrl: `${standIn.url}/oauth2/authorize`,
        tokenUrl: `${standIn.url}/api/oauth2/token`,
        userinfoUrl: `${standIn.url}/api/users/@me`,
      },
    });

  it("refuses a callback without iss or with another issuer", async () => {
    h = discord();
    const missing = await h.connect(() => ({ code: "d" }));
    expect(missing.page.status).toBe(400);
    expect(missing.html).toContain("iss");
    const wrong = await h.connect(() => ({ code: "d", iss: "https://evil.example" }));
    expect(wrong.page.status).toBe(400);
    expect(standIn.seen).toHaveLength(0); // no code was exchanged
    expect(tokenEvents()).toEqual(["oauth.connect:CONNECT_ISSUER_MISMATCH", "oauth.connect:CONNECT_ISSUER_MISMATCH"]);
  });

  it("exchanges with the verifier, retries a 429 after retry_after, and a bad refresh_token is a dead grant", async () => {
    h = discord();
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
    h = harness(oauth.generic({ ...client, grant: "client_credentials", tokenUrl: `${standIn.url}/oauth/token`, scopes: ["read", "write"] }), {});
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
