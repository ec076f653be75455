import type { ConnectionIdentity } from "../ports/connection-store.ts";
import type { OAuthHttp } from "../ports/oauth-http.ts";
import type { ProviderPreset } from "./provider-preset.ts";

/**
 * Who the new connection acts as: from an identity endpoint called with the fresh access token
 * (GitHub `/user`, Discord `/users/@me`, OIDC userinfo), from the id_token's claims, or from the
 * token reply itself (Slack, Notion). Best effort: a failure gives `null`, never a failed connect.
 */
export async function fetchIdentity(
  http: OAuthHttp,
  preset: ProviderPreset,
  accessToken: string,
  reply: Record<string, unknown>,
): Promise<ConnectionIdentity | null> {
  try {
    switch (preset.identity) {
      case "none":
        return null;
      case "slack-response":
        return slackIdentity(reply);
      case "notion-response":
        return notionIdentity(reply);
      case "id-token":
        return typeof reply.id_token === "string" ? claimsIdentity(decodeJwtPayload(reply.id_token)) : null;
      case "userinfo":
      case "github":
      case "discord": {
        if (!preset.userinfoUrl) return null;
        const response = await http.send(preset.userinfoUrl, {
          method: "GET",
          headers: { accept: "application/json", ...preset.identityHeaders, authorization: `Bearer ${accessToken}` },
        });
        if (response.status !== 200) return null;
        const body = JSON.parse(response.text) as Record<string, unknown>;
        if (preset.identity === "github") return identity(body.id, body.login, { ...(str(body.name) ? { name: str(body.name)! } : {}) });
        if (preset.identity === "discord")
          return identity(body.id, body.global_name ?? body.username, { ...(str(body.username) ? { username: str(body.username)! } : {}) });
        return claimsIdentity(body);
      }
    }
  } catch {
    return null;
  }
}

function claimsIdentity(claims: Record<string, unknown> | null): ConnectionIdentity | null {
  if (!claims) return null;
  const details: Record<string, string> = {};
  if (str(claims.tid)) details.tenant = str(claims.tid)!;
  if (str(claims.hd)) details.domain = str(claims.hd)!;
  if (str(claims.name)) details.name = str(claims.name)!;
  return identity(claims.oid ?? claims.sub, claims.email ?? claims.preferred_username ?? claims.name, details);
}

function slackIdentity(reply: Record<string, unknown>): ConnectionIdentity {
  const team = obj(reply.team);
  const user = obj(reply.authed_user);
  const details: Record<string, string> = {};
  if (str(team.id)) details.team = str(team.id)!;
  if (str(reply.bot_user_id)) details.botUser = str(reply.bot_user_id)!;
  if (str(obj(reply.enterprise).id)) details.enterprise = str(obj(reply.enterprise).id)!;
  const label = [str(team.name), str(user.id)].filter(Boolean).join(" / ") || null;
  return { id: str(user.id) ?? str(reply.bot_user_id) ?? null, label, details };
}

function notionIdentity(reply: Record<string, unknown>): ConnectionIdentity {
  const owner = obj(reply.owner);
  const user = obj(owner.user);
  const details: Record<string, string> = {};
  if (str(reply.workspace_id)) details.workspace = str(reply.workspace_id)!;
  if (str(reply.bot_id)) details.bot = str(reply.bot_id)!;
  const who = str(obj(user.person).email) ?? str(user.name);
  const label = [str(reply.workspace_name), who].filter(Boolean).join(" / ") || null;
  return { id: str(user.id) ?? str(reply.bot_id) ?? null, label, details };
}

function identity(id: unknown, label: unknown, details: Record<string, string>): ConnectionIdentity {
  const idText = typeof id === "number" ? String(id) : str(id);
  return { id: idText ?? null, label: str(label) ?? idText ?? null, details };
}

/** The payload of a JWT, unverified: only used for tokens that came straight from the token endpoint. */
function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  const part = jwt.split(".")[1];
  if (!part) return null;
  const parsed: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : null;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, 200) : undefined;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
