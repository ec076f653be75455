import type { OAuthHttpResponse } from "../ports/oauth-http.ts";
import type { ProviderPreset } from "./provider-preset.ts";
import { formEncode, type ClientCredentials } from "./token-endpoint.ts";
import type { TokenSet } from "./parse-token-response.ts";

/** One revocation call, exactly as it is sent. */
export interface RevocationCall {
  url: string;
  method: "POST" | "DELETE";
  headers: Record<string, string>;
  body: string;
}

/**
 * The revocation request of a provider, in the shape its documentation gives:
 *
 * - `rfc7009` (Discord, Notion, generic): POST the refresh token (else the access token) as
 *   `token` with `token_type_hint`, the client authenticated as at the token endpoint (RFC 7009
 *   §2.1; Discord: discord.com/developers/docs/topics/oauth2 "Token Revocation Example", form
 *   `token` + `token_type_hint` with Basic client credentials; Notion: developers.notion.com
 *   "Revoke token", Basic + JSON `{"token"}` + `Notion-Version`).
 * - `google`: POST form `token=<refresh or access token>` and nothing else; revoking the refresh
 *   token ends the whole grant (developers.google.com/identity/protocols/oauth2/web-server
 *   "Revoking a token": 200 on success, 400 with an error code otherwise).
 * - `github`: `DELETE /applications/{client_id}/grant` with HTTP Basic `client_id:client_secret`
 *   and JSON `{"access_token": "<the user's token>"}`; deletes the authorization and all its
 *   tokens; 204 on success, 422 on a validation failure (docs.github.com/rest/apps/oauth-applications
 *   "Delete an app authorization"; on GHES under `/api/v3`).
 * - `slack`: POST `https://slack.com/api/auth.revoke` with the token to revoke as the bearer
 *   ("Tokens should be passed as an HTTP Authorization header", api.slack.com/methods/auth.revoke);
 *   HTTP 200 with `{"ok":true,"revoked":true}`, errors as `{"ok":false,"error":…}`.
 *
 * GitHub and Slack need a valid access token; the caller refreshes an expired one first.
 */
export function revocationCall(preset: ProviderPreset, client: ClientCredentials, tokens: TokenSet): RevocationCall | null {
  if (!preset.revocationUrl) return null;
  const url = preset.revocationUrl.replace("{client_id}", encodeURIComponent(client.clientId));
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  switch (preset.revocationStyle) {
    case "github":
      return {
        url,
        method: "DELETE",
        headers: { ...preset.identityHeaders, authorization: basic, "content-type": "application/json" },
        body: JSON.stringify({ access_token: tokens.accessToken }),
      };
    case "slack":
      return {
        url,
        method: "POST",
        headers: { accept: "application/json", authorization: `Bearer ${tokens.accessToken}`, "content-type": "application/x-www-form-urlencoded" },
        body: "",
      };
    case "google":
      return {
        url,
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: tokens.refreshToken ?? tokens.accessToken }).toString(),
      };
    case "rfc7009": {
      const fields: Record<string, string> = tokens.refreshToken
        ? { token: tokens.refreshToken, token_type_hint: "refresh_token" }
        : { token: tokens.accessToken, token_type_hint: "access_token" };
      const headers: Record<string, string> = { accept: "application/json", ...preset.tokenHeaders };
      if (preset.tokenAuth === "client_secret_basic") {
        const encode = preset.formEncodeBasic ? formEncode : (value: string) => value;
        headers.authorization = `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString("base64")}`;
      } else {
        Object.assign(fields, { client_id: client.clientId, client_secret: client.clientSecret });
      }
      if (preset.bodyFormat === "json") {
        // Notion documents `{"token"}` only.
        delete fields.token_type_hint;
        return { url, method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(fields) };
      }
      return {
        url,
        method: "POST",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      };
    }
  }
}

/**
 * Whether a revocation answer means the grant is gone: revoked now, or already gone before
 * (Google's 400 `invalid_token`, Slack's `token_revoked`/`account_inactive`, GitHub's 404 for an
 * authorization that no longer exists). Anything else is a failure, with a short reason.
 */
export function revocationOutcome(preset: ProviderPreset, response: OAuthHttpResponse): { revoked: true } | { revoked: false; reason: string } {
  const body = parseJson(response.text);
  const errorCode = typeof body?.error === "string" ? body.error : null;
  switch (preset.revocationStyle) {
    case "github":
      if (response.status === 204 || response.status === 404) return { revoked: true };
      return {
        revoked: false,
        reason: `${preset.provider} answered ${response.status}${typeof body?.message === "string" ? `: ${body.message.slice(0, 120)}` : ""}`,
      };
    case "slack":
      if (response.status === 200 && body?.ok === true) return { revoked: true };
      if (response.status === 200 && (errorCode === "token_revoked" || errorCode === "account_inactive")) return { revoked: true };
      return { revoked: false, reason: `slack answered ${response.status}${errorCode ? ` ${errorCode}` : ""}` };
    case "google":
    case "rfc7009":
      // RFC 7009 §2.2: 200 also for a token the server does not know (already revoked).
      if (response.status === 200) return { revoked: true };
      if (response.status === 400 && errorCode === "invalid_token") return { revoked: true };
      return { revoked: false, reason: `${preset.provider} answered ${response.status}${errorCode ? ` ${errorCode}` : ""}` };
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
