import type { TokenFailure } from "./classify-token-error.ts";
import type { ProviderPreset } from "./provider-preset.ts";

/** What is sealed per connection. Lives decrypted only while a refresh or a request needs it. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** The last lifetime the provider gave, reused when a refresh reply omits `expires_in`. */
  lifetimeMs: number | null;
  refreshTokenExpiresAt: number | null;
}

/** A successful token reply, read. */
export interface ParsedTokens {
  tokens: TokenSet;
  expiresAt: number | null;
  /** Granted scopes, when the provider says (space- or comma-separated). */
  scopes: string[] | null;
}

/**
 * Reads a successful token reply. Slack: the user token sits under `authed_user` on the code
 * exchange, and refresh replies say which token they carry in `token_type`. A reply without a
 * refresh token keeps the previous one (Google); without `expires_in` a refresh keeps the last
 * known lifetime; `expires_in` may be a string (GitHub's form-encoded replies).
 */
export function parseTokenResponse(
  preset: ProviderPreset,
  body: Record<string, unknown>,
  sentAt: number,
  kind: "code" | "refresh" | "client_credentials",
  previous: TokenSet | null = null,
): ParsedTokens | TokenFailure {
  let source = body;
  if (preset.provider === "slack" && preset.slackToken === "user" && kind === "code") {
    const nested = body.authed_user;
    source = typeof nested === "object" && nested !== null ? (nested as Record<string, unknown>) : {};
  }
  const accessToken = source.access_token;
  if (typeof accessToken !== "string" || accessToken.length === 0) {
    return unexpected(`the ${preset.provider} token reply has no ${preset.slackToken === "user" ? "user " : ""}access_token`);
  }
  const tokenType = typeof source.token_type === "string" ? source.token_type.toLowerCase() : null;
  if (tokenType !== null && !preset.tokenTypes.includes(tokenType)) return unexpected(`unsupported token_type '${tokenType.slice(0, 20)}'`);
  if (preset.provider === "slack" && tokenType !== null && tokenType !== "bearer" && tokenType !== preset.slackToken) {
    return unexpected(`Slack returned a ${tokenType} token where the ${preset.slackToken} token was expected`);
  }
  const expiresIn = seconds(source.expires_in);
  const lifetimeMs = expiresIn !== null ? expiresIn * 1000 : kind === "refresh" ? (previous?.lifetimeMs ?? null) : null;
  const refreshToken = typeof source.refresh_token === "string" && source.refresh_token ? source.refresh_token : (previous?.refreshToken ?? null);
  const refreshIn = seconds(source.refresh_token_expires_in);
  const scope = typeof source.scope === "string" ? source.scope : null;
  return {
    tokens: {
      accessToken,
      refreshToken,
      lifetimeMs,
      refreshTokenExpiresAt:
        refreshIn !== null ? sentAt + refreshIn * 1000 : typeof source.refresh_token === "string" ? null : (previous?.refreshTokenExpiresAt ?? null),
    },
    expiresAt: lifetimeMs !== null ? sentAt + lifetimeMs : null,
    scopes: scope === null ? null : scope.split(/[\s,]+/).filter(Boolean),
  };
}

/** True when `value` is a failure rather than tokens. */
export function isTokenFailure(value: ParsedTokens | TokenFailure): value is TokenFailure {
  return "class" in value;
}

function seconds(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  if (typeof value === "string" && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
  return null;
}

function unexpected(message: string): TokenFailure {
  return { class: "transient", code: "unexpected_reply", message, status: 200, retryAfterMs: null };
}
