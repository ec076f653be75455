import type { RejectedTokenSignal } from "../ports/connection-tokens.ts";

// Slack Web API errors that a refresh can cure. Every method answers HTTP 200 with
// `{"ok":false,"error":…}` (api.slack.com/web "Evaluating responses"); `token_expired` is an
// expired rotating token (docs.slack.dev/authentication/using-token-rotation: access tokens expire
// after 12 hours); `invalid_auth` is "some aspect of authentication cannot be validated", worth one
// refresh (the replay happens once; if the new token is refused too, that answer goes back).
// `token_revoked`, `account_inactive` and `not_authed` are not retried: a new token would not help.
const REFRESHABLE = new Set(["token_expired", "invalid_auth"]);

/** Slack error bodies are a few hundred bytes; anything longer is a real answer and streams on. */
const MAX_BYTES = 8192;

/** Recognises Slack's HTTP 200 refusal of an expired or invalid token. */
export const SLACK_REJECTED_TOKEN: RejectedTokenSignal = {
  maxBytes: MAX_BYTES,
  matches(body) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return false;
    }
    if (typeof parsed !== "object" || parsed === null) return false;
    const { ok, error } = parsed as { ok?: unknown; error?: unknown };
    return ok === false && typeof error === "string" && REFRESHABLE.has(error);
  },
};
