import { describe, expect, it } from "vitest";
import { classifyTokenError } from "../../functions/oauth/classify-token-error.ts";
import { readTokenReply } from "../../functions/oauth/token-endpoint.ts";
import { resolvePreset } from "../../functions/oauth/resolve-preset.ts";
import { secret } from "../../schema/secret.ts";

describe("classifyTokenError (PRESETS.md §7)", () => {
  it.each([
    [400, "invalid_grant", "", "grant_dead"],
    [200, "bad_refresh_token", "", "grant_dead"],
    [200, "invalid_refresh_token", "", "grant_dead"],
    [200, "token_revoked", "", "grant_dead"],
    [400, "interaction_required", "AADSTS50076", "grant_dead"],
    [400, "admin_policy_enforced", "", "grant_dead"],
    [400, "invalid_request", 'Invalid "refresh_token" in request.', "grant_dead"],
    [400, "invalid_request", 'Invalid "code_verifier"', "misconfigured"],
    [401, "invalid_client", "AADSTS7000215: Invalid client secret provided.", "misconfigured"],
    [200, "incorrect_client_credentials", "", "misconfigured"],
    [200, "bad_client_secret", "", "misconfigured"],
    [401, "unauthorized", "API token is invalid.", "misconfigured"],
    [401, "http_401", "", "misconfigured"],
    [429, "http_429", "", "transient"],
    [429, "invalid_grant", "", "transient"],
    [503, "http_503", "", "transient"],
    [400, "temporarily_unavailable", "", "transient"],
    [200, "ratelimited", "", "transient"],
    [400, "something_new", "", "transient"],
  ] as const)("status %i %s %s -> %s", (status, code, description, expected) => {
    expect(classifyTokenError({ status, code, description })).toBe(expected);
  });
});

describe("readTokenReply: error shapes by provider", () => {
  const client = { clientId: "c", clientSecret: secret("S") };
  const github = resolvePreset({ provider: "github", ...client, scopes: [], app: "oauth-app" });
  const slack = resolvePreset({ provider: "slack", ...client, scopes: [], userScopes: [], token: "bot" });
  const notion = resolvePreset({ provider: "notion", ...client });
  const reply = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

  it("GitHub: HTTP 200 with error is a failure; a form-encoded success is read", () => {
    expect(readTokenReply(github, reply(200, '{"error":"bad_refresh_token","error_description":"expired"}'), 0)).toMatchObject({
      ok: false,
      failure: { class: "grant_dead", code: "bad_refresh_token", status: 200 },
    });
    expect(readTokenReply(github, reply(200, "error=incorrect_client_credentials&error_description=x"), 0)).toMatchObject({
      ok: false,
      failure: { class: "misconfigured" },
    });
    expect(readTokenReply(github, reply(200, "access_token=gho_1&scope=repo%2Cgist&token_type=bearer"), 0)).toMatchObject({
      ok: true,
      body: { access_token: "gho_1", scope: "repo,gist" },
    });
  });

  it("Slack: ok:false with HTTP 200 is a failure", () => {
    expect(readTokenReply(slack, reply(200, '{"ok":false,"error":"invalid_refresh_token"}'), 0)).toMatchObject({
      ok: false,
      failure: { class: "grant_dead", code: "invalid_refresh_token" },
    });
  });

  it("Notion: the error envelope's code and message", () => {
    expect(readTokenReply(notion, reply(400, '{"object":"error","status":400,"code":"invalid_grant","message":"Invalid code."}'), 0)).toMatchObject({
      ok: false,
      failure: { class: "grant_dead", code: "invalid_grant", message: expect.stringContaining("Invalid code.") },
    });
  });

  it("429 keeps Retry-After; an HTML error page is transient", () => {
    expect(readTokenReply(github, reply(429, "", { "retry-after": "7" }), 0)).toMatchObject({ ok: false, failure: { class: "transient", retryAfterMs: 7000 } });
    expect(readTokenReply(github, reply(502, "<html>bad gateway</html>"), 0)).toMatchObject({ ok: false, failure: { class: "transient", code: "http_502" } });
    expect(readTokenReply(github, reply(200, "<html>ok?</html>"), 0)).toMatchObject({ ok: false, failure: { class: "transient", code: "unexpected_reply" } });
  });
});
