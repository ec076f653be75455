import { randomBytes } from "node:crypto";
import { checkUpstreamUrlStatic } from "../../schema/ssrf/check-upstream-url-static.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import { connectCookie } from "./connect-cookie.ts";
import { sha256Hex } from "./create-connect-session.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { createPkce } from "./pkce.ts";
import { renderPage } from "./render-page.ts";
import { verifierContext } from "./token-vault.ts";

/** The redirect URI of a connection under a base URL. */
export function redirectUri(baseUrl: string, gatewayId: string, connection: string): string {
  return `${baseUrl}/api/${gatewayId}/oauth/${connection}/callback`;
}

/**
 * `GET .../oauth/<connection>/start?session=<id>`: spends the operator's one-time session
 * (single use), binds the flow to this browser with a cookie, and redirects to the provider with
 * a fresh `state` and, where the provider supports it, PKCE. Only hashes of the session id, the
 * state and the cookie nonce are stored; the PKCE verifier is stored sealed.
 */
export async function handleStart(
  ctx: OAuthContext,
  request: GatewayRequest,
  gateway: Gateway,
  connection: string,
  requestId: string,
  allowPrivate: readonly string[],
): Promise<GatewayResponse> {
  const fail = (status: number, title: string, line: string) =>
    renderPage(status, { title, ok: false, lines: [line, `Ask an operator for a new link: gatehouse connect ${gateway.name} ${connection}`] }, requestId);
  const sessionId = new URLSearchParams(request.query).get("session");
  if (!sessionId || !/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return fail(400, "This connect link is incomplete", "The link has no valid session.");
  const preset = ctx.preset(gateway, connection);
  if (preset.grant === "client_credentials" || !preset.authorizationUrl) {
    return fail(400, "Nothing to connect", `Connection '${connection}' uses the client-credentials grant; it needs no browser step.`);
  }
  const refused = checkUpstreamUrlStatic(preset.authorizationUrl, { allow: allowPrivate });
  if (refused) return fail(500, "Connection misconfigured", `The authorization URL is refused by the address rules (${refused.rule}).`);

  const idHash = sha256Hex(sessionId);
  const now = ctx.clock.now();
  const session = await ctx.store.getSession(idHash, now);
  if (!session || session.gatewayId !== gateway.id || session.connection !== connection) {
    return fail(410, "This connect link has expired or was already used", "Connect links work once and only for a few minutes.");
  }
  const state = randomBytes(32).toString("base64url");
  const nonce = randomBytes(32).toString("base64url");
  const pkce = preset.pkce ? createPkce() : null;
  const started = await ctx.store.startSession(idHash, now, {
    stateHash: sha256Hex(state),
    browserHash: sha256Hex(nonce),
    ...(pkce ? { sealedVerifier: await ctx.box.seal(pkce.verifier, verifierContext(gateway.id, connection)) } : {}),
  });
  if (!started) return fail(410, "This connect link has expired or was already used", "Connect links work once and only for a few minutes.");

  const definition = gateway.connections[connection]!;
  const target = new URL(preset.authorizationUrl);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: definition.clientId,
    redirect_uri: redirectUri(started.baseUrl, gateway.id, connection),
    state,
    ...(preset.scopes.length ? { scope: preset.scopes.join(preset.scopeSeparator) } : {}),
    ...(preset.userScopes.length ? { user_scope: preset.userScopes.join(preset.scopeSeparator) } : {}),
    ...(pkce ? { code_challenge: pkce.challenge, code_challenge_method: "S256" } : {}),
    ...preset.authorizeParams,
  };
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);

  const base = new URL(started.baseUrl);
  const cookiePath = `${base.pathname.replace(/\/+$/, "")}/api/${gateway.id}/oauth/${connection}/`;
  const maxAge = Math.max(1, Math.floor((started.expiresAt - now) / 1000));
  return {
    status: 303,
    headers: {
      location: target.href,
      "set-cookie": connectCookie(`${sessionId}.${nonce}`, cookiePath, base.protocol === "https:", maxAge),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-request-id": requestId,
    },
    body: null,
  };
}
