import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { checkUpstreamUrlStatic } from "../../schema/ssrf/check-upstream-url-static.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { ConnectSession } from "../ports/connection-store.ts";
import type { GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import { CONFIRM_COOKIE, confirmCookie, connectCookie, readCookie } from "./connect-cookie.ts";
import { sha256Hex } from "./create-connect-session.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { createPkce } from "./pkce.ts";
import type { ProviderPreset } from "./provider-preset.ts";
import { readFormBody } from "./read-form-body.ts";
import { renderPage } from "./render-page.ts";
import { verifierContext } from "./token-vault.ts";

/** The redirect URI of a connection under a base URL. */
export function redirectUri(baseUrl: string, gatewayId: string, connection: string): string {
  return `${baseUrl}/api/${gatewayId}/oauth/${connection}/callback`;
}

/**
 * `.../oauth/<connection>/start?session=<id>`, in two steps so that a link unfurler (Slack,
 * Teams, a mail scanner) fetching the link spends nothing:
 *
 * - GET shows a confirm page with one button, any number of times. It sets a SameSite=Strict
 *   cookie holding a random token and puts the same token in the form (double submit).
 * - POST (the button) must carry the session, the form token and the cookie with the same
 *   value, and must not be cross-site by `Sec-Fetch-Site` or `Origin`. A POST from another site
 *   arrives without the Strict cookie and is refused. Only then is the one-time session spent,
 *   the flow bound to this browser with a cookie, and the browser sent to the provider with a
 *   fresh `state` and, where the provider supports it, PKCE. Only hashes of the session id, the
 *   state and the cookie nonce are stored; the PKCE verifier is stored sealed.
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
  if (session?.stage !== "issued" || session.gatewayId !== gateway.id || session.connection !== connection) {
    return fail(410, "This connect link has expired or was already used", "Connect links work once and only for a few minutes.");
  }
  const base = new URL(session.baseUrl);
  const cookiePath = `${base.pathname.replace(/\/+$/, "")}/api/${gateway.id}/oauth/${connection}/`;
  const secure = base.protocol === "https:";
  const maxAge = Math.max(1, Math.floor((session.expiresAt - now) / 1000));

  if (request.method === "GET") {
    // Reusing a token this browser already holds keeps a second tab's button working.
    const held = readCookie(request.headers, CONFIRM_COOKIE);
    const token = held && /^[A-Za-z0-9_-]{43}$/.test(held) ? held : randomBytes(32).toString("base64url");
    return confirmPage(gateway, connection, preset, session, sessionId, token, requestId, { "set-cookie": confirmCookie(token, cookiePath, secure, maxAge) });
  }

  const crossSite = crossSiteReason(request, base.origin);
  if (crossSite) return fail(403, "This confirmation came from another site", crossSite);
  const form = await readFormBody(request.headers, request.body);
  const sent = form?.get("confirm") ?? "";
  const held = readCookie(request.headers, CONFIRM_COOKIE) ?? "";
  if (!sent || !held || !sameSecret(sent, held)) {
    return fail(403, "This confirmation did not come from the gateway's page", "Open the connect link again in this browser and press the button there.");
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
  return {
    status: 303,
    headers: {
      location: target.href,
      "set-cookie": [connectCookie(`${sessionId}.${nonce}`, cookiePath, secure, maxAge), confirmCookie("", cookiePath, secure, 0)],
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-request-id": requestId,
    },
    body: null,
  };
}

/** The page a GET of the link shows: what will be connected, and the one button that starts it. */
function confirmPage(
  gateway: Gateway,
  connection: string,
  preset: ProviderPreset,
  session: ConnectSession,
  sessionId: string,
  token: string,
  requestId: string,
  headers: Record<string, string>,
): GatewayResponse {
  const provider = preset.provider === "generic" ? new URL(preset.authorizationUrl!).host : preset.provider;
  const scopes = [...preset.scopes, ...preset.userScopes].join(" ");
  return renderPage(
    200,
    {
      title: `Connect ${connection} of gateway ${gateway.name}`,
      ok: true,
      lines: [`Pressing the button takes you to ${provider} to approve access. This link works once; opening it spends nothing until you press the button.`],
      facts: [
        ["Connection", connection],
        ["Provider", provider],
        ...(scopes ? ([["Scopes", scopes]] as Array<[string, string]>) : []),
        ["Link valid until", new Date(session.expiresAt).toISOString()],
      ],
      form: {
        action: `start?session=${sessionId}`,
        fields: { confirm: token },
        button: `Continue to ${provider}`,
        allowTargets: [new URL(preset.authorizationUrl!).origin],
      },
    },
    requestId,
    headers,
  );
}

/** Why a POST looks cross-site (Fetch Metadata, then Origin), or null. */
function crossSiteReason(request: GatewayRequest, ownOrigin: string): string | null {
  const site = single(request.headers["sec-fetch-site"]);
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `The browser marked the request ${site}; press the button on the gateway's own page.`;
  // With Referrer-Policy no-referrer browsers send `Origin: null`, which says nothing either way.
  const origin = single(request.headers.origin);
  if (origin !== undefined && origin !== "null" && origin !== ownOrigin) return `The request came from ${origin.slice(0, 100)}, not from the gateway's page.`;
  return null;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
