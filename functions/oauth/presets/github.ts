import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * GitHub (OAuth App or GitHub App): client_secret_post only; `Accept: application/json` always
 * (the default reply is form-encoded) and errors arrive with HTTP 200 and an `error` member,
 * which the RFC error shape already checks before anything else; scopes come back
 * comma-separated; no `expires_in` means the token never expires (OAuth Apps); GitHub App
 * refresh tokens rotate and are single-use. PKCE S256. No RFC 7009 revocation:
 * disconnecting deletes the app authorization through the REST API instead.
 */
export function githubPreset(connection: Extract<Connection, { provider: "github" }>): ProviderPreset {
  // GitHub Enterprise Server: the web flow lives on the host itself and the REST API under
  // /api/v3 ("http(s)://HOSTNAME/api/v3", docs.github.com/enterprise-server@latest/rest).
  const web = connection.enterpriseHost ? `https://${connection.enterpriseHost}` : "https://github.com";
  const api = connection.enterpriseHost ? `https://${connection.enterpriseHost}/api/v3` : "https://api.github.com";
  return {
    ...PRESET_DEFAULTS,
    provider: "github",
    authorizationUrl: `${web}/login/oauth/authorize`,
    tokenUrl: `${web}/login/oauth/access_token`,
    userinfoUrl: `${api}/user`,
    // "Delete an app authorization" (REST, apps/oauth-applications): removes the grant and every token of it.
    revocationUrl: `${api}/applications/{client_id}/grant`,
    revocationStyle: "github",
    tokenAuth: "client_secret_post",
    // GitHub Apps ignore `scope` (permissions live on the App); sending it does no harm.
    scopes: uniqueScopes(connection.scopes),
    authorizeParams: { allow_signup: "false" },
    missingExpiry: "never",
    identity: "github",
    identityHeaders: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "gatehouse" },
  };
}
