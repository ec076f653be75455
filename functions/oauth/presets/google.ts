import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * Google: `access_type=offline` (no refresh token without it) and `prompt=consent` (Google
 * returns a refresh token only on the first consent otherwise); PKCE S256; refresh responses
 * omit `refresh_token` (the stored one is kept); identity from OpenID userinfo.
 */
export function googlePreset(connection: Extract<Connection, { provider: "google" }>): ProviderPreset {
  return {
    ...PRESET_DEFAULTS,
    provider: "google",
    authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    userinfoUrl: "https://openidconnect.googleapis.com/v1/userinfo",
    revocationUrl: "https://oauth2.googleapis.com/revoke",
    revocationStyle: "google",
    issuer: "https://accounts.google.com",
    tokenAuth: "client_secret_post",
    scopes: uniqueScopes(["openid", "email", "profile"], connection.scopes),
    authorizeParams: { access_type: "offline", prompt: "consent", include_granted_scopes: "true" },
    identity: "userinfo",
  };
}
