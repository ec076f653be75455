import type { Provider } from "../../schema/connection.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { OAuthContext } from "./oauth-context.ts";
import type { TokenSet } from "./parse-token-response.ts";
import { revocationCall, revocationOutcome } from "./revocation-request.ts";
import { openTokens } from "./token-vault.ts";

/** What a disconnect did. */
export interface DisconnectResult {
  /** A stored connection was removed. */
  removed: boolean;
  /** The grant at the provider: revoked (or already gone), not asked for, no endpoint for it, or the call failed. */
  revoked: "revoked" | "skipped" | "unsupported" | "failed";
  /** Why the revocation failed or is unsupported, in words safe to print; null otherwise. */
  reason: string | null;
  /** How a person revokes the grant by hand at the provider (printed when it was not revoked). */
  manual: string;
}

/**
 * Removes a connection, first revoking the grant at the provider where it has a way to
 * (GitHub, Google, Slack, Discord, Notion, a generic server with `revocationUrl`; see
 * `revocation-request.ts` for each request). Microsoft has no per-grant revocation: Graph's
 * `revokeSignInSessions` ends every session of the user in every app (and needs
 * User.RevokeSessions.All, with no personal-account support), far more than a disconnect should
 * do, so the grant is left for the person to remove (see {@link manualRevocation}). A failed
 * revocation still removes the local record and says so. GitHub and Slack revoke with the
 * access token itself, so an expired one is refreshed first through `freshToken`.
 */
export async function disconnectConnection(
  ctx: OAuthContext,
  gateway: Gateway,
  connection: string,
  options: { revoke: boolean; freshToken?: () => Promise<string | null> },
): Promise<DisconnectResult> {
  const preset = ctx.preset(gateway, connection);
  const manual = manualRevocation(preset.provider, preset.provider === "github" ? new URL(preset.authorizationUrl!).origin : null);
  const record = await ctx.store.get(gateway.id, connection);
  if (!record) return { removed: false, revoked: "skipped", reason: null, manual };
  const started = ctx.clock.now();
  let revoked: DisconnectResult["revoked"] = "skipped";
  let reason: string | null = null;
  let providerStatus: number | null = null;
  if (options.revoke) {
    if (!preset.revocationUrl) {
      revoked = "unsupported";
      reason =
        preset.provider === "microsoft"
          ? "Microsoft has no endpoint that revokes one app's grant"
          : `${preset.provider} connection has no revocation endpoint configured`;
    } else if (!record.sealedTokens) {
      revoked = "failed";
      reason = "no tokens are stored to revoke with";
    } else {
      try {
        let tokens: TokenSet = await openTokens(ctx.box, gateway.id, connection, record.sealedTokens);
        const needsLiveAccessToken = preset.revocationStyle === "github" || preset.revocationStyle === "slack";
        if (needsLiveAccessToken && record.expiresAt !== null && record.expiresAt <= ctx.clock.now() && options.freshToken) {
          const fresh = await options.freshToken();
          if (fresh) tokens = { ...tokens, accessToken: fresh };
        }
        const call = revocationCall(preset, await ctx.client(gateway, connection), tokens)!;
        const response = await ctx.http.send(call.url, { method: call.method, headers: call.headers, body: call.body });
        providerStatus = response.status;
        const outcome = revocationOutcome(preset, response);
        revoked = outcome.revoked ? "revoked" : "failed";
        reason = outcome.revoked ? null : outcome.reason;
      } catch (error) {
        revoked = "failed";
        reason = error instanceof Error ? error.message.slice(0, 200) : "the revocation call failed";
      }
    }
  }
  const removed = await ctx.store.delete(gateway.id, connection);
  await ctx.record({
    event: "oauth.disconnect",
    gateway,
    connection,
    action: "disconnect",
    time: started,
    durationMs: ctx.clock.now() - started,
    decision:
      revoked === "revoked" ? "REVOKED" : revoked === "failed" ? "REVOCATION_FAILED" : revoked === "unsupported" ? "REVOCATION_UNSUPPORTED" : "NOT_REVOKED",
    reason,
    status: removed ? 200 : 404,
    providerStatus,
  });
  return { removed, revoked, reason, manual };
}

/**
 * Where a person removes the app's access by hand, per provider (`webOrigin`: GitHub's, for
 * Enterprise Server hosts).
 */
export function manualRevocation(provider: Provider, webOrigin: string | null = null): string {
  switch (provider) {
    case "github":
      return `remove the app under Settings > Applications (${webOrigin ?? "https://github.com"}/settings/applications)`;
    case "google":
      return "remove the app's access at https://myaccount.google.com/connections";
    case "slack":
      return "remove the app in the workspace (Settings & administration > Manage apps > the app > Remove App)";
    case "microsoft":
      return "work or school account: https://myapps.microsoft.com > the app > Revoke permissions (an admin: Entra admin center > Enterprise applications > the app > Permissions); personal account: https://account.live.com/consent/Manage";
    case "notion":
      return "disconnect the integration in Notion (Settings > Connections)";
    case "discord":
      return "deauthorize the app in Discord (User Settings > Authorized Apps)";
    case "generic":
      return "remove the grant on the authorization server's consent or account page";
  }
}
