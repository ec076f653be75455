import type { Connection } from "../../../schema/connection.ts";
import { SLACK_REJECTED_TOKEN } from "../slack-rejected-token.ts";
import { PRESET_DEFAULTS, uniqueScopes, type ProviderPreset } from "../provider-preset.ts";

/**
 * Slack OAuth v2: HTTP Basic; comma-separated bot `scope` and `user_scope`; errors are HTTP 200
 * with `ok:false`; `token_type` is `bot` or `user`; the user token is nested under `authed_user`
 * on the code exchange, while refresh replies put whichever token it is at the top level. No
 * PKCE (enabling it turns a Slack app into a public client for good). Without token rotation
 * tokens never expire; with it an API call with an expired token
 * answers HTTP 200 `ok:false token_expired`, which is refreshed and replayed like a 401. Identity
 * comes with the token response.
 */
export function slackPreset(connection: Extract<Connection, { provider: "slack" }>): ProviderPreset {
  return {
    ...PRESET_DEFAULTS,
    provider: "slack",
    authorizationUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    revocationUrl: "https://slack.com/api/auth.revoke",
    revocationStyle: "slack",
    tokenAuth: "client_secret_basic",
    scopes: uniqueScopes(connection.scopes),
    userScopes: uniqueScopes(connection.userScopes),
    scopeSeparator: ",",
    pkce: false,
    missingExpiry: "never",
    errorShape: "slack",
    rejectedTokenInBody: SLACK_REJECTED_TOKEN,
    tokenTypes: ["bot", "user", "bearer"],
    slackToken: connection.token,
    identity: "slack-response",
  };
}
