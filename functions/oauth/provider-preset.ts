import type { Provider } from "../../schema/connection.ts";
import type { RejectedTokenSignal } from "../ports/connection-tokens.ts";

/** How the connected identity is found after a code exchange. */
export type IdentitySource =
  | "none"
  /** OIDC-style userinfo (`sub`, `email`, `name`) at `userinfoUrl`. */
  | "userinfo"
  /** GitHub's `GET /user` (`id`, `login`), with the headers GitHub insists on. */
  | "github"
  /** Discord's `GET /users/@me` (`id`, `username`). */
  | "discord"
  /** Claims of the id_token the token endpoint returned (received over TLS, not re-verified). */
  | "id-token"
  /** Slack's token response (`team`, `authed_user`, `bot_user_id`). */
  | "slack-response"
  /** Notion's token response (`workspace_*`, `owner`). */
  | "notion-response";

/**
 * Everything the flow and the refresher need to know about one provider, with the quirks of
 * PRESETS.md as data. Built per connection by `resolvePreset` (scopes and tenant come from the
 * definition, endpoint URLs from the preset or from test overrides).
 */
export interface ProviderPreset {
  provider: Provider;
  grant: "authorization_code" | "client_credentials";
  authorizationUrl: string | null;
  tokenUrl: string;
  userinfoUrl: string | null;
  /** Where a grant is revoked on disconnect (`{client_id}` is filled in), or null when the provider has no such endpoint. */
  revocationUrl: string | null;
  /** The request shape of {@link revocationUrl}; see `revocation-request.ts`. */
  revocationStyle: RevocationStyle;
  /** The authorization server's issuer, for the RFC 9207 `iss` check of the callback. */
  issuer: string | null;
  /** Refuse a callback without `iss` (the provider advertises RFC 9207 support). */
  requireIss: boolean;
  tokenAuth: "client_secret_post" | "client_secret_basic";
  /** RFC 6749 §2.3.1 form-encodes id and secret inside Basic; most providers do not decode. */
  formEncodeBasic: boolean;
  bodyFormat: "form" | "json";
  /** Extra headers on token requests (`Accept` is always `application/json`). */
  tokenHeaders: Record<string, string>;
  /** The scopes requested, in order, duplicates removed. */
  scopes: string[];
  scopeSeparator: string;
  /** Second scope list (Slack `user_scope`). */
  userScopes: string[];
  authorizeParams: Record<string, string>;
  pkce: boolean;
  /** What a missing `expires_in` means: the token never expires, or nobody knows (refresh on 401). */
  missingExpiry: "never" | "unknown";
  /** A refusal of the token inside an HTTP 200 API answer (Slack), next to the usual 401; null for most. */
  rejectedTokenInBody: RejectedTokenSignal | null;
  /** How error bodies look: RFC 6749 `error`, Slack `ok:false`, Notion `object:"error"` + `code`. */
  errorShape: "rfc" | "slack" | "notion";
  /** Lower-case `token_type` values accepted as a bearer token. */
  tokenTypes: string[];
  /** Slack: which of the two tokens is stored and injected. */
  slackToken?: "bot" | "user";
  identity: IdentitySource;
  /** Headers for identity calls (GitHub wants a User-Agent and an API version). */
  identityHeaders: Record<string, string>;
}

/**
 * How a provider revokes: RFC 7009 (form or JSON `token`, the client authenticated like at the
 * token endpoint), Google (form `token` only), GitHub (DELETE with Basic client auth and a JSON
 * `access_token`), Slack (`auth.revoke` called with the token itself).
 */
export type RevocationStyle = "rfc7009" | "google" | "github" | "slack";

/** Endpoint URLs that may replace a preset's (tests, national clouds). `{tenant}` is filled in. */
export interface ProviderEndpoints {
  authorizationUrl?: string;
  tokenUrl?: string;
  userinfoUrl?: string;
  revocationUrl?: string;
  issuer?: string;
}

/** Overrides by provider name; given to the wiring, never written in a definition. */
export type EndpointOverrides = Partial<Record<Provider, ProviderEndpoints>>;

/** The scopes with duplicates removed, first occurrence kept. */
export function uniqueScopes(...lists: string[][]): string[] {
  return [...new Set(lists.flat().filter((s) => s.length > 0))];
}

/** The RFC defaults every preset starts from. */
export const PRESET_DEFAULTS = {
  grant: "authorization_code",
  userinfoUrl: null,
  revocationUrl: null,
  revocationStyle: "rfc7009",
  issuer: null,
  requireIss: false,
  formEncodeBasic: false,
  bodyFormat: "form",
  tokenHeaders: {},
  scopeSeparator: " ",
  userScopes: [],
  authorizeParams: {},
  pkce: true,
  missingExpiry: "unknown",
  errorShape: "rfc",
  rejectedTokenInBody: null,
  tokenTypes: ["bearer"],
  identityHeaders: {},
} as const satisfies Partial<ProviderPreset>;
