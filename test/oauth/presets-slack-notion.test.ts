import { describe, expect, it } from "vitest";
import { oauth } from "../../schema/index.ts";
import { basicOf, STAND_IN_CLIENT } from "./support/provider-harness.ts";
import { client, HOUR, presetGateway, tokenEvents, standInForFile } from "./support/stand-in-suite.ts";

const standIn = await standInForFile();

describe("Slack: Basic auth, comma scopes and user_scope, ok:false errors, bot and user tokens, no PKCE", () => {
  it("stores the user token from authed_user, refreshes it from the top level, and ok:false invalid_refresh_token is a dead grant", async () => {
    const h = presetGateway(oauth.slack({ ...client, scopes: ["chat:write", "channels:read"], userScopes: ["search:read"], token: "user" }), {
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
    const h = presetGateway(oauth.slack({ ...client, scopes: ["chat:write"] }), {
      slack: { authorizationUrl: `${standIn.url}/a`, tokenUrl: `${standIn.url}/bad` },
    });
    standIn.route("POST /bad", () => ({ json: { ok: false, error: "bad_client_secret" } }));
    const { page, html } = await h.connect(() => ({ code: "c" }));
    expect(page.status).toBe(502);
    expect(html).toContain("bad_client_secret");
    expect(html).toContain("An operator must fix");
    expect(await h.store.get(h.gateway.id, "conn")).toBeNull();
    expect(tokenEvents(h)).toContain("oauth.connect:CONNECT_MISCONFIGURED");
  });
});

describe("Notion: Basic auth + JSON body + Notion-Version, owner=user, its own error envelope, no expires_in", () => {
  it("connects, refreshes only when the upstream rejects the token, and maps invalid_grant / unauthorized", async () => {
    const h = presetGateway(oauth.notion(client), {
      notion: { authorizationUrl: `${standIn.url}/v1/oauth/authorize`, tokenUrl: `${standIn.url}/v1/oauth/token` },
    });
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
    expect(tokenEvents(h)).toEqual(
      expect.arrayContaining(["oauth.refresh:OK", "oauth.refresh_failed:CLIENT_MISCONFIGURED", "oauth.refresh_failed:GRANT_DEAD"]),
    );
  });
});
