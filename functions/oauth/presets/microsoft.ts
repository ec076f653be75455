import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * Microsoft Entra ID v2: `{tenant}` in the URLs (default `common`), `offline_access` always added
 * (no refresh token otherwise), `response_mode=query`, PKCE S256, client_secret_post. Refresh
 * tokens rotate but the old one keeps working. Identity from the id_token's claims (`oid`,
 * `tid`, `preferred_username`): it arrives from the token endpoint over TLS, and the `common`
 * issuer template would fail a strict issuer check anyway. No per-grant revocation endpoint: the
 * only server-side switch, Graph `POST /me/revokeSignInSessions` (learn.microsoft.com/graph/api/
 * user-revokesigninsessions), invalidates every refresh token of the user for every app, needs
 * User.RevokeSessions.All and does not support personal accounts, so disconnect does not call it.
 */
export function microsoftPreset(connection: Extract<Connection, { provider: "microsoft" }>): ProviderPreset {
  const base = `https://${connection.authority}/${encodeURIComponent(connection.tenant)}/oauth2/v2.0`;
  return {
    ...PRESET_DEFAULTS,
    provider: "microsoft",
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    tokenAuth: "client_secret_post",
    scopes: uniqueScopes(["openid", "profile", "offline_access"], connection.scopes),
    authorizeParams: { response_mode: "query" },
    identity: "id-token",
  };
}
