import { afterEach, describe, expect, it } from "vitest";
import { defineGateway, oauth } from "../../schema/index.ts";
import type { ConnectionInput } from "../../schema/connection.ts";
import type { EndpointOverrides } from "../../functions/oauth/provider-preset.ts";
import { sealTokens } from "../../functions/oauth/token-vault.ts";
import { basicOf, presetHarness, STAND_IN_CLIENT, type PresetHarness, type StandInReply } from "./support/provider-harness.ts";
import { client, standInForFile } from "./support/stand-in-suite.ts";

const standIn = await standInForFile();

const basicHeader = `Basic ${Buffer.from(`${STAND_IN_CLIENT.id}:${STAND_IN_CLIENT.secret}`).toString("base64")}`;

describe("disconnect revokes the grant at the provider, in each provider's documented request shape", () => {
  let h: PresetHarness;
  afterEach(async () => {
    await h?.close();
  });

  /** A connected record for the connection, tokens sealed as the connect flow would leave them. */
  async function connected(
    connection: ConnectionInput,
    endpoints: EndpointOverrides,
    tokens: { access: string; refresh: string | null; expiresAt?: number | null },
  ) {
    const gateway = defineGateway({
      name: "revoke",
      connections: { conn: connection },
      endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
    });
    h = presetHarness(gateway, endpoints, "CLIENT_SECRET");
    const now = h.clock.now();
    await h.store.put(
      {
        gatewayId: gateway.id,
        connection: "conn",
        provider: connection.provider,
        version: 1,
        status: "connected",
        sealedTokens: await sealTokens(h.box, gateway.id, "conn", {
          accessToken: tokens.access,
          refreshToken: tokens.refresh,
          lifetimeMs: 3600_000,
          refreshTokenExpiresAt: null,
        }),
        scopes: [],
        expiresAt: tokens.expiresAt === undefined ? now + 3600_000 : tokens.expiresAt,
        refreshable: tokens.refresh !== null,
        lastRefreshAt: null,
        lastError: null,
        updatedAt: now,
        connectedAt: now,
        identity: null,
      },
      null,
    );
    return gateway;
  }
  const only = () => {
    expect(standIn.seen).toHaveLength(1);
    return standIn.seen[0]!;
  };

  it("GitHub: DELETE /applications/{client_id}/grant, Basic client_id:client_secret, JSON {access_token}; 204 is revoked", async () => {
    const gateway = await connected(
      oauth.github({ ...client, scopes: ["repo"] }),
      { github: { revocationUrl: `${standIn.url}/applications/{client_id}/grant` } },
      { access: "gho_live", refresh: null, expiresAt: null },
    );
    standIn.route(`DELETE /applications/${STAND_IN_CLIENT.id}/grant`, () => ({ status: 204, text: "" }));
    const result = await h.oauth.disconnect(gateway, "conn");
    expect(result).toMatchObject({ removed: true, revoked: "revoked", reason: null });
    const request = only();
    expect(request.headers.authorization).toBe(basicHeader);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/vnd.github+json");
    expect(request.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(request.body).toBe('{"access_token":"gho_live"}');
    expect(await h.store.get(gateway.id, "conn")).toBeNull();
    expect(h.audit.records.map((r) => `${r.event}:${r.decision}:${r.upstreamStatus}`)).toEqual(["oauth.disconnect:REVOKED:204"]);
  });

  it("GitHub App with an expired token: refreshes first (GitHub revokes only with a live token), then revokes with the new one", async () => {
    const gateway = await connected(
      oauth.github({ ...client, app: "github-app" }),
      { github: { tokenUrl: `${standIn.url}/login/oauth/access_token`, revocationUrl: `${standIn.url}/applications/{client_id}/grant` } },
      { access: "ghu_old", refresh: "ghr_old", expiresAt: Date.now() - 1000 },
    );
    standIn.route("POST /login/oauth/access_token", (r) =>
      r.fields.refresh_token === "ghr_old"
        ? { json: { access_token: "ghu_new", refresh_token: "ghr_new", expires_in: 28800, token_type: "bearer" } }
        : { json: { error: "bad_refresh_token" } },
    );
    standIn.route(`DELETE /applications/${STAND_IN_CLIENT.id}/grant`, () => ({ status: 204, text: "" }));
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ removed: true, revoked: "revoked" });
    expect(standIn.seen.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /login/oauth/access_token", `DELETE /applications/${STAND_IN_CLIENT.id}/grant`]);
    expect(standIn.seen[1]!.body).toBe('{"access_token":"ghu_new"}');
  });

  it("Google: POST /revoke with form token=<refresh token> and nothing else; 400 invalid_token (already gone) counts as revoked", async () => {
    const gateway = await connected(
      oauth.google(client),
      { google: { revocationUrl: `${standIn.url}/revoke` } },
      { access: "ya29.live", refresh: "1//refresh" },
    );
    standIn.route("POST /revoke", () => ({ status: 400, json: { error: "invalid_token", error_description: "Token expired or revoked" } }));
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ removed: true, revoked: "revoked" });
    const request = only();
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toBe("token=1%2F%2Frefresh");
  });

  it("Slack: POST auth.revoke with the token as bearer and an empty body; ok:true revoked:true", async () => {
    const gateway = await connected(
      oauth.slack({ ...client, scopes: ["chat:write"] }),
      { slack: { revocationUrl: `${standIn.url}/api/auth.revoke` } },
      { access: "xoxb-live", refresh: null, expiresAt: null },
    );
    standIn.route("POST /api/auth.revoke", (r) =>
      r.headers.authorization === "Bearer xoxb-live" ? { json: { ok: true, revoked: true } } : { json: { ok: false, error: "invalid_auth" } },
    );
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ removed: true, revoked: "revoked" });
    const request = only();
    expect(request.headers.authorization).toBe("Bearer xoxb-live");
    expect(request.body).toBe("");
  });

  it("Slack: HTTP 200 ok:false invalid_auth is a failed revocation; the record is removed anyway and the result says how to revoke by hand", async () => {
    const gateway = await connected(
      oauth.slack({ ...client, scopes: ["chat:write"] }),
      { slack: { revocationUrl: `${standIn.url}/api/auth.revoke` } },
      { access: "xoxb-live", refresh: null, expiresAt: null },
    );
    standIn.route("POST /api/auth.revoke", () => ({ json: { ok: false, error: "invalid_auth" } }));
    const result = await h.oauth.disconnect(gateway, "conn");
    expect(result).toMatchObject({ removed: true, revoked: "failed", reason: "slack answered 200 invalid_auth" });
    expect(result.manual).toContain("Manage apps");
    expect(await h.store.get(gateway.id, "conn")).toBeNull();
    expect(h.audit.records.map((r) => `${r.event}:${r.decision}`)).toEqual(["oauth.disconnect:REVOCATION_FAILED"]);
  });

  it("Discord: POST /oauth2/token/revoke, Basic client auth, form token + token_type_hint=refresh_token", async () => {
    const gateway = await connected(
      oauth.discord(client),
      { discord: { revocationUrl: `${standIn.url}/api/oauth2/token/revoke` } },
      { access: "d-access", refresh: "d-refresh" },
    );
    standIn.route("POST /api/oauth2/token/revoke", (r) =>
      basicOf(r)?.secret === STAND_IN_CLIENT.secret ? { json: {} } : { status: 401, json: { error: "invalid_client" } },
    );
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ removed: true, revoked: "revoked" });
    const request = only();
    expect(request.headers.authorization).toBe(basicHeader);
    expect(request.body).toBe("token=d-refresh&token_type_hint=refresh_token");
  });

  it("Notion: POST /v1/oauth/revoke, Basic, JSON {token} with Notion-Version", async () => {
    const gateway = await connected(
      oauth.notion(client),
      { notion: { revocationUrl: `${standIn.url}/v1/oauth/revoke` } },
      { access: "ntn_live", refresh: "ntn_refresh" },
    );
    standIn.route("POST /v1/oauth/revoke", () => ({ json: { request_id: "r1" } }));
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ revoked: "revoked" });
    const request = only();
    expect(request.headers.authorization).toBe(basicHeader);
    expect(request.headers["notion-version"]).toBe("2022-06-28");
    expect(request.body).toBe('{"token":"ntn_refresh"}');
  });

  it("generic with revocationUrl: RFC 7009 with the connection's client authentication (form-encoded Basic)", async () => {
    const gateway = await connected(
      oauth.generic({
        ...client,
        authorizationUrl: "https://as.example.com/authorize",
        tokenUrl: "https://as.example.com/token",
        revocationUrl: "https://as.example.com/revoke",
      }),
      { generic: { revocationUrl: `${standIn.url}/revoke` } },
      { access: "g-access", refresh: null },
    );
    standIn.route("POST /revoke", () => ({ status: 200, text: "" }));
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ revoked: "revoked" });
    const request = only();
    // RFC 6749 §2.3.1: "s3cret/with:odd+chars" is form-encoded inside Basic.
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${STAND_IN_CLIENT.id}:s3cret%2Fwith%3Aodd%2Bchars`).toString("base64")}`);
    expect(request.body).toBe("token=g-access&token_type_hint=access_token");
  });

  it("generic without revocationUrl and Microsoft: nothing is sent, the record is removed, and the result says it is unsupported and how to revoke by hand", async () => {
    const generic = await connected(
      oauth.generic({ ...client, tokenUrl: "https://as.example.com/token", authorizationUrl: "https://as.example.com/a" }),
      {},
      { access: "a", refresh: null },
    );
    expect(await h.oauth.disconnect(generic, "conn")).toMatchObject({ removed: true, revoked: "unsupported" });
    await h.close();
    const microsoft = await connected(oauth.microsoft({ ...client, scopes: ["User.Read"] }), {}, { access: "m", refresh: "mr" });
    const result = await h.oauth.disconnect(microsoft, "conn");
    expect(result).toMatchObject({ removed: true, revoked: "unsupported", reason: "Microsoft has no endpoint that revokes one app's grant" });
    expect(result.manual).toContain("https://myapps.microsoft.com");
    expect(result.manual).toContain("https://account.live.com/consent/Manage");
    expect(standIn.seen).toEqual([]);
  });

  it("a provider that cannot be reached is a failed revocation with the reason; the local record is still removed", async () => {
    const gateway = await connected(oauth.google(client), { google: { revocationUrl: `${standIn.url}/revoke` } }, { access: "a", refresh: "r" });
    standIn.route("POST /revoke", (): StandInReply => ({ status: 503, text: "down" }));
    expect(await h.oauth.disconnect(gateway, "conn")).toMatchObject({ removed: true, revoked: "failed", reason: "google answered 503" });
    expect(await h.store.get(gateway.id, "conn")).toBeNull();
  });

  it("revocation calls pass the SSRF guard: a revocation URL on a private address is never dialled", async () => {
    const gateway = await connected(oauth.discord(client), { discord: { revocationUrl: "http://10.9.8.7/revoke" } }, { access: "a", refresh: "r" });
    const result = await h.oauth.disconnect(gateway, "conn");
    expect(result.revoked).toBe("failed");
    expect(result.reason).toMatch(/10\.9\.8\.7/);
    expect(await h.store.get(gateway.id, "conn")).toBeNull();
  });
});
