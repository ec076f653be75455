/** The three things a failed token request can mean (PRESETS.md §7). */
export type FailureClass = "grant_dead" | "misconfigured" | "transient";

/** A failed token request, in words safe for logs and the audit (never a token or a code). */
export interface TokenFailure {
  class: FailureClass;
  /** The provider's error code, or `http_<status>`, `network`, `unexpected_reply`. */
  code: string;
  message: string;
  /** The HTTP status, when there was an answer. */
  status: number | null;
  /** How long the provider asked us to wait (429 `Retry-After`, Discord's `retry_after`). */
  retryAfterMs: number | null;
}

// The user's grant is gone: only a new connect flow helps.
const GRANT_DEAD = new Set([
  "invalid_grant", // RFC 6749: Google, Microsoft, Discord, Notion (in `code`), oidc-provider
  "bad_refresh_token", // GitHub
  "bad_verification_code", // GitHub, code exchange
  "invalid_refresh_token", // Slack
  "token_revoked", // Slack
  "account_inactive", // Slack
  "invalid_code", // Slack, code exchange
  "code_already_used", // Slack, code exchange
  "interaction_required", // Microsoft (MFA, Conditional Access)
  "consent_required", // Microsoft
  "login_required",
  "admin_policy_enforced", // Google Workspace admin block
  "expired_token",
  "access_denied",
]);

// Our client (id, secret, redirect URI, grant type) is refused: an operator must fix the
// integration, and the users' grants are left alone.
const MISCONFIGURED = new Set([
  "invalid_client", // RFC 6749: Google, Microsoft AADSTS7000215/7000222/700016
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "invalid_request", // a request the provider cannot parse is our bug, not the user's
  "incorrect_client_credentials", // GitHub
  "redirect_uri_mismatch", // GitHub
  "application_suspended", // GitHub
  "bad_client_secret", // Slack
  "invalid_client_id", // Slack
  "bad_redirect_uri", // Slack
  "invalid_grant_type", // Slack
  "unauthorized", // Notion: 401 on the token endpoint means the Basic credentials
]);

// Worth another try later.
const TRANSIENT = new Set(["temporarily_unavailable", "server_error", "internal_error", "fatal_error", "ratelimited", "rate_limited", "service_unavailable"]);

/**
 * Classifies a token-endpoint error. Rate limits and 5xx are transient whatever the body says;
 * Discord's `invalid_request` about the refresh token is a dead grant; anything unrecognised is
 * transient (bounded by the caller's retries) rather than a verdict on the user's grant.
 */
export function classifyTokenError(input: { status: number; code: string; description: string }): FailureClass {
  const { status, code, description } = input;
  if (status === 429 || status >= 500 || TRANSIENT.has(code)) return "transient";
  if (code === "invalid_request" && /invalid\s+"?refresh_token"?/i.test(description)) return "grant_dead";
  if (GRANT_DEAD.has(code)) return "grant_dead";
  if (MISCONFIGURED.has(code)) return "misconfigured";
  if (status === 401) return "misconfigured";
  return "transient";
}
