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
        if (preset.identity === "github") return identity(body.id, body.login, details({ name: body.name }));
        if (preset.identity === "discord") return identity(body.id, body.global_name ?? body.username, details({ username: body.username }));
        return claimsIdentity(body);
      }
    }
  } catch {
    return null;
  }
}

function claimsIdentity(claims: Record<string, unknown> | null): ConnectionIdentity | null {
  if (!claims) return null;
  return identity(
    claims.oid ?? claims.sub,
    claims.email ?? claims.preferred_username ?? claims.name,
    details({ tenant: claims.tid, domain: claims.hd, name: claims.name }),
  );
}

function slackIdentity(reply: Record<string, unknown>): ConnectionIdentity {
  const team = obj(reply.team);
  const user = obj(reply.authed_user);
  return {
    id: str(user.id) ?? str(reply.bot_user_id) ?? null,
    label: joinedLabel(team.name, user.id),
    details: details({ team: team.id, botUser: reply.bot_user_id, enterprise: obj(reply.enterprise).id }),
  };
}

function notionIdentity(reply: Record<string, unknown>): ConnectionIdentity {
  const owner = obj(reply.owner);
  const user = obj(owner.user);
  return {
    id: str(user.id) ?? str(reply.bot_id) ?? null,
    label: joinedLabel(reply.workspace_name, str(obj(user.person).email) ?? user.name),
    details: details({ workspace: reply.workspace_id, bot: reply.bot_id }),
  };
}

function identity(id: unknown, label: unknown, details: Record<string, string>): ConnectionIdentity {
  const idText = typeof id === "number" ? String(id) : str(id);
  return { id: idText ?? null, label: str(label) ?? idText ?? null, details };
}

/** The named values that are non-empty strings (cut to 200 characters); the others are left out. */
function details(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const text = str(value);
    if (text) out[name] = text;
  }
  return out;
}

/** "workspace / person" from the parts that are there, or null when none is. */
function joinedLabel(...parts: unknown[]): string | null {
  return parts.map(str).filter(Boolean).join(" / ") || null;
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
