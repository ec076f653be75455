import type { Gateway } from "../../schema/gateway.ts";
import type { TokenFailure } from "./classify-token-error.ts";
import { sleep } from "./connection-lease.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { isTokenFailure, parseTokenResponse, type ParsedTokens, type TokenSet } from "./parse-token-response.ts";
import { callTokenEndpoint, type ClientCredentials } from "./token-endpoint.ts";

/**
 * One token request (a refresh, or a client-credentials grant), repeated with jittered
 * exponential backoff while the failure is transient, at most `settings.maxAttempts` times; a
 * `Retry-After` longer than `settings.maxRetryWaitMs` ends the retries at once.
 */
export async function requestTokensWithRetry(
  ctx: Pick<OAuthContext, "http" | "clock" | "log" | "settings" | "preset">,
  gateway: Gateway,
  name: string,
  client: ClientCredentials,
  kind: "refresh" | "client_credentials",
  previous: TokenSet | null,
): Promise<ParsedTokens | TokenFailure> {
  const { settings } = ctx;
  const preset = ctx.preset(gateway, name);
  const params: Record<string, string> =
    kind === "refresh"
      ? { grant_type: "refresh_token", refresh_token: previous!.refreshToken! }
      : { grant_type: "client_credentials", ...(preset.scopes.length ? { scope: preset.scopes.join(preset.scopeSeparator) } : {}) };
  let last: TokenFailure | null = null;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const reply = await callTokenEndpoint(ctx.http, preset, client, params, () => ctx.clock.now());
    const parsed = reply.ok ? parseTokenResponse(preset, reply.body, reply.sentAt, kind, previous) : reply.failure;
    if (!isTokenFailure(parsed)) return parsed;
    last = parsed;
    if (parsed.class !== "transient" || attempt === settings.maxAttempts) break;
    const backoff = settings.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random());
    const wait = parsed.retryAfterMs ?? backoff;
    if (wait > settings.maxRetryWaitMs) break;
    ctx.log.info("oauth.refresh_retry", { gateway: gateway.name, connection: name, attempt, code: parsed.code, waitMs: Math.round(wait) });
    await sleep(wait);
  }
  return last!;
}
