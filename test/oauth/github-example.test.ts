import { afterAll, beforeAll, describe, expect, it } from "vitest";
import example from "../../examples/github-oauth/gateway.ts";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { connectCookieOf, pressConnect } from "./support/press-connect.ts";
import { pkceMatches, harnessEngine, presetHarness, startStandIn, type ProviderStandIn, type StandInRequest } from "./support/provider-harness.ts";

const HOUR = 3600_000;

/**
 * A stand-in for github.com and api.github.com as GitHub documents them: client_secret_post only,
 * HTTP 200 errors, form-encoded replies unless `Accept: application/json`, GitHub App user tokens
 * with 8 h expiry and single-use rotating refresh tokens, `GET /user` needing a User-Agent, and an
 * API that answers 401 "Bad credentials" to anything but the current token.
 */
function githubStandIn(standIn: ProviderStandIn, clientId: string, clientSecret: string, app: boolean) {
  const state = { challenge: null as string | null, access: "", refresh: "", n: 0, userAgents: [] as string[] };
  const reply = (request: StandInRequest, body: Record<string, string | number>) =>
    request.headers.accept === "application/json"
      ? { json: body }
      : { text: new URLSearchParams(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]))).toString() };
  standIn.route("POST /login/oauth/access_token", (request) => {
    if (request.headers.authorization || request.fields.client_id !== clientId || request.fields.client_secret !== clientSecret) {
      return reply(request, { error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
    }
    if (
      request.fields.grant_type === "refresh_token"
        ? request.fields.refresh_token !== state.refresh
        : !pkceMatches(request.fields.code_verifier, state.challenge)
    ) {
      const error = request.fields.grant_type === "refresh_token" ? "bad_refresh_token" : "bad_verification_code";
      return reply(request, { error, error_description: "The code passed is incorrect or expired.", error_uri: "https://docs.github.com/" });
    }
    state.n++;
    state.access = `${app ? "ghu" : "gho"}_${state.n}`;
    state.refresh = `ghr_${state.n}`; // single use: the previous one is dead now
    return reply(
      request,
      app
        ? { access_token: state.access, expires_in: 28800, refresh_token: state.refresh, refresh_token_expires_in: 15897600, scope: "", token_type: "bearer" }
        : { access_token: state.access, scope: "repo,read:user", token_type: "bearer" },
    );
  });
  standIn.route("GET /user", (request) => {
    state.userAgents.push(String(request.headers["user-agent"]));
    if (request.headers.authorization !== `Bearer ${state.access}` && request.headers.authorization !== `token ${state.access}`) {
      return { status: 401, json: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };
    }
    return { json: { login: "octocat", id: 583231, name: "The Octocat" } };
  });
  standIn.route("GET /user/repos", (request) =>
    request.headers.authorization === `Bearer ${state.access}`
      ? { json: [{ full_name: "octocat/hello-world" }] }
      : { status: 401, json: { message: "Bad credentials" } },
  );
  return state;
}

describe("examples/github-oauth against a local GitHub stand-in, exactly as against GitHub", () => {
  let standIn: ProviderStandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it("connects the GitHub App, proxies with the bearer, refreshes at 8 h, and bad_refresh_token (HTTP 200) needs re-authorization", async () => {
    // The example as written, with only the upstream moved to loopback (api.github.com is the stand-in).
    const gateway: Gateway = {
      ...example,
      endpoints: { github: { ...example.endpoints.github!, upstream: standIn.url, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
    };
    const clientId = example.connections.github!.clientId;
    const github = githubStandIn(standIn, clientId, "s3cret/with:odd+chars", true);
    const h = presetHarness(
      gateway,
      {
        github: {
          authorizationUrl: `${standIn.url}/login/oauth/authorize`,
          tokenUrl: `${standIn.url}/login/oauth/access_token`,
          userinfoUrl: `${standIn.url}/user`,
        },
      },
      "GITHUB_CLIENT_SECRET",
    );
    // presetHarness names the connection "conn"; the example calls it "github".
    const connectGithub = async () => {
      const session = await h.oauth.createConnectSession(gateway, "github", "https://gw.example.test");
      const start = new URL(session.url);
      const request = (path: string, query: string, cookie?: string) =>
        h.oauth.oauthRoutes.handle(
          { method: "GET", path, query, headers: cookie ? { cookie } : {}, body: null, clientAddress: "127.0.0.1" },
          gateway,
          "github",
          path.split("/").at(-1)!,
          "req_test",
        );
      const { start: started } = await pressConnect((r) => h.oauth.oauthRoutes.handle(r, gateway, "github", r.path.split("/").at(-1)!, "req_test"), start.href);
      const authorize = new URL(String(started.headers.location));
      github.challenge = authorize.searchParams.get("code_challenge");
      const cookie = connectCookieOf(started);
      const page = await request(
        `/api/${gateway.id}/oauth/github/callback`,
        new URLSearchParams({ code: "gh-code", state: authorize.searchParams.get("state")! }).toString(),
        cookie,
      );
      return { authorize, page, html: Buffer.from(page.body as Uint8Array).toString() };
    };
    const { authorize, page, html } = await connectGithub();
    expect(authorize.origin + authorize.pathname).toBe(`${standIn.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe("Iv1.8a61f9b3a7aba766");
    expect(authorize.searchParams.get("scope")).toBe("repo read:user");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`https://gw.example.test/api/${gateway.id}/oauth/github/callback`);
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as octocat");
    expect(github.userAgents).toEqual(["gatehouse"]);
    const tokenRequest = standIn.seen.find((r) => r.path === "/login/oauth/access_token")!;
    expect(tokenRequest.headers.accept).toBe("application/json");
    expect(tokenRequest.headers.authorization).toBeUndefined();

    const tokens = new MemoryTokenStore();
    const { token } = await issueToken(tokens, { gatewayId: gateway.id, label: "app", now: h.clock.now() });
    const upstream = new UndiciUpstreamClient();
    const engine = harnessEngine(h, tokens, upstream);
    const call = async () => {
      const response = await engine.handle({
        method: "GET",
        path: `/api/${gateway.id}/proxy/github/user/repos`,
        query: "",
        headers: { authorization: `Bearer ${token}` },
        body: null,
        clientAddress: "127.0.0.1",
      });
      const chunks: Uint8Array[] = [];
      if (response.body instanceof Uint8Array) chunks.push(response.body);
      else if (response.body) for await (const chunk of response.body) chunks.push(chunk);
      return { status: response.status, body: JSON.parse(Buffer.concat(chunks).toString() || "null") as unknown };
    };
    expect(await call()).toEqual({ status: 200, body: [{ full_name: "octocat/hello-world" }] });
    h.clock.advance(8 * HOUR);
    expect((await call()).status).toBe(200);
    expect(github.access).toBe("ghu_2");
    // Someone else used the refresh token (single use): GitHub says bad_refresh_token with HTTP 200.
    github.refresh = "ghr_stolen";
    h.clock.advance(8 * HOUR);
    const dead = await call();
    expect(dead).toMatchObject({
      status: 503,
      body: { code: "CONNECTION_NEEDS_REAUTHORIZATION", connection: "github", reconnect: "gatehouse connect github-oauth github" },
    });
    expect(await h.store.get(gateway.id, "github")).toMatchObject({
      status: "needs_reauthorization",
      lastError: { class: "grant_dead", code: "bad_refresh_token" },
    });
    await upstream.close();
    await h.close();
  });

  it("an OAuth App token (form-encoded reply, comma scopes, no expires_in) never expires and is never refreshed", async () => {
    const gateway = defineGateway({
      name: "gh-app",
      connections: { conn: oauth.github({ clientId: "Ov23li", clientSecret: secret("CLIENT_SECRET"), scopes: ["repo"] }) },
      endpoints: { api: { upstream: "https://api.github.com", methods: ["GET"], connection: "conn" } },
    });
    standIn.seen.length = 0;
    const github = githubStandIn(standIn, "Ov23li", "s3cret/with:odd+chars", false);
    const h = presetHarness(
      gateway,
      {
        github: {
          authorizationUrl: `${standIn.url}/login/oauth/authorize`,
          tokenUrl: `${standIn.url}/login/oauth/access_token?form=1`,
          userinfoUrl: `${standIn.url}/user`,
        },
      },
      "CLIENT_SECRET",
    );
    // This stand-in ignores Accept and answers form-encoded, as GitHub does by default.
    standIn.route("POST /login/oauth/access_token", (request) => {
      github.n++;
      github.access = `gho_${github.n}`;
      return pkceMatches(request.fields.code_verifier, github.challenge)
        ? { text: `access_token=${github.access}&scope=repo%2Cread%3Auser&token_type=bearer` }
        : { text: "error=bad_verification_code" };
    });
    const { page, html } = await h.connect((url) => {
      github.challenge = url.searchParams.get("code_challenge");
      return { code: "c" };
    });
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as octocat");
    expect(await h.store.get(gateway.id, "conn")).toMatchObject({ expiresAt: null, refreshable: false, scopes: ["repo", "read:user"] });
    h.clock.advance(400 * 24 * HOUR);
    expect(await h.oauth.connections.accessToken(gateway, "conn")).toEqual({ ok: true, token: "gho_1" });
    expect(standIn.seen.filter((r) => r.path === "/login/oauth/access_token")).toHaveLength(1);
    await h.close();
  });
});
