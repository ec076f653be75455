import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * Discord: PKCE S256 only, with a verifier of at least 43 characters (ours are 64); the callback
 * carries `iss` (RFC 9207, advertised in Discord's metadata), which must be `https://discord.com`;
 * `identify` is always requested so `/users/@me` names the account; refresh tokens are single-use;
 * the token endpoint rate-limits with 429 (transient, never a dead grant).
 */
export function discordPreset(connection: Extract<Connection, { provider: "discord" }>): ProviderPreset {
  return {
    ...PRESET_DEFAULTS,
    provider: "discord",
    authorizationUrl: "https://discord.com/oauth2/authorize",
    tokenUrl: "https://discord.com/api/oauth2/token",
    userinfoUrl: "https://discord.com/api/users/@me",
    revocationUrl: "https://discord.com/api/oauth2/token/revoke",
    issuer: "https://discord.com",
    requireIss: true,
    tokenAuth: "client_secret_basic",
    scopes: uniqueScopes(["identify"], connection.scopes),
    identity: "discord",
  };
}
