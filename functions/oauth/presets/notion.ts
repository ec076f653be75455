import type { Connection } from "../../../schema/connection.ts";
import { PRESET_DEFAULTS, type ProviderPreset } from "../provider-preset.ts";

/**
 * Notion public integrations: HTTP Basic required, JSON request bodies with a `Notion-Version`
 * header, `owner=user` on the authorize URL, no scopes, no PKCE. Errors use Notion's envelope
 * (`object:"error"`, `code`, `message`). No `expires_in`: expiry is unknown, so the token is
 * refreshed when the upstream answers 401. Identity (workspace, owner) comes with the token.
 */
export function notionPreset(_connection: Extract<Connection, { provider: "notion" }>): ProviderPreset {
  return {
    ...PRESET_DEFAULTS,
    provider: "notion",
    authorizationUrl: "https://api.notion.com/v1/oauth/authorize",
    tokenUrl: "https://api.notion.com/v1/oauth/token",
    revocationUrl: "https://api.notion.com/v1/oauth/revoke",
    tokenAuth: "client_secret_basic",
    bodyFormat: "json",
    tokenHeaders: { "notion-version": "2022-06-28" },
    scopes: [],
    authorizeParams: { owner: "user" },
    pkce: false,
    missingExpiry: "unknown",
    errorShape: "notion",
    identity: "notion-response",
  };
}
