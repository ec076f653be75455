import type { Gateway } from "../../schema/gateway.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { openTokens } from "./token-vault.ts";

/** What a disconnect did. */
export interface DisconnectResult {
  /** A stored connection was removed. */
  removed: boolean;
  /** Whether the grant was revoked at the provider: done, not asked for, not offered, or failed. */
  revoked: "revoked" | "skipped" | "unsupported" | "failed";
}

/**
 * Removes a connection. With `revoke`, first asks the provider to revoke the grant where it has
 * a revocation endpoint (Google, Discord, Notion: the refresh token, else the access token), in
 * the provider's own request format and client authentication. A failed revocation still
 * removes the local tokens.
 */
export async function disconnectConnection(ctx: OAuthContext, gateway: Gateway, connection: string, options: { revoke: boolean }): Promise<DisconnectResult> {
  const record = await ctx.store.get(gateway.id, connection);
  if (!record) return { removed: false, revoked: "skipped" };
  let revoked: DisconnectResult["revoked"] = "skipped";
  if (options.revoke) {
    const preset = ctx.preset(gateway, connection);
    if (!preset.revocationUrl || !record.sealedTokens) {
      revoked = "unsupported";
    } else {
      try {
        const tokens = await openTokens(ctx.box, gateway.id, connection, record.sealedTokens);
        const client = await ctx.client(gateway, connection);
        const fields: Record<string, string> = { token: tokens.refreshToken ?? tokens.accessToken };
        const headers: Record<string, string> = { accept: "application/json", ...preset.tokenHeaders };
        if (preset.tokenAuth === "client_secret_basic") {
          headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
        } else {
          Object.assign(fields, { client_id: client.clientId, client_secret: client.clientSecret });
        }
        headers["content-type"] = preset.bodyFormat === "json" ? "application/json" : "application/x-www-form-urlencoded";
        const body = preset.bodyFormat === "json" ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
        const response = await ctx.http.send(preset.revocationUrl, { method: "POST", headers, body });
        // Google answers 400 invalid_token for a grant that is already gone: the goal is reached.
        revoked = response.status === 200 || (response.status === 400 && /invalid_token/.test(response.text)) ? "revoked" : "failed";
      } catch {
        revoked = "failed";
      }
    }
  }
  const removed = await ctx.store.delete(gateway.id, connection);
  return { removed, revoked };
}
