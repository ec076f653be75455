import { timingSafeEqual } from "node:crypto";
import type { Gateway } from "../../schema/gateway.ts";
import type { ConnectionIdentity, ConnectionRecord } from "../ports/connection-store.ts";
import type { GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import { connectCookie, readConnectCookie } from "./connect-cookie.ts";
import { sha256Hex } from "./create-connect-session.ts";
import { fetchIdentity } from "./fetch-identity.ts";
import { redirectUri } from "./handle-start.ts";
import type { OAuthContext } from "./oauth-context.ts";
import { isTokenFailure, parseTokenResponse } from "./parse-token-response.ts";
import { renderPage } from "./render-page.ts";
import { callTokenEndpoint, type ClientCredentials } from "./token-endpoint.ts";
import { sealTokens, verifierContext } from "./token-vault.ts";

const FAILURE_WORDS = {
  grant_dead: "The provider refused the authorization code (it may have expired or been used already).",
  misconfigured: "The provider refused the gateway's OAuth client (client id, secret or redirect URI). An operator must fix the connection's settings.",
  transient: "The provider could not be reached or answered with an error; try again in a moment.",
} as const;

/**
 * `GET .../oauth/<connection>/callback`: checks that this browser started the flow (cookie),
 * that `state` is the one issued for it (spending the session: single use), the RFC 9207 `iss`
 * where the provider sends it, then exchanges the code (with the PKCE verifier), reads the
 * identity, stores the sealed tokens (version-checked) and shows who was connected, or why not.
 */
export async function handleCallback(
  ctx: OAuthContext,
  request: GatewayRequest,
  gateway: Gateway,
  connection: string,
  requestId: string,
  onConnected: () => void,
): Promise<GatewayResponse> {
  const started = ctx.clock.now();
  const params = new URLSearchParams(request.query);
  const preset = ctx.preset(gateway, connection);
  const again = `Start again with a new link: gatehouse connect ${gateway.name} ${connection}`;
  const audit = (decision: string, reason: string | null, status: number, providerStatus: number | null = null) =>
    ctx.record({
      event: "oauth.connect",
      gateway,
      connection,
      action: "callback",
      time: started,
      durationMs: ctx.clock.now() - started,
      decision,
      reason,
      status,
      providerStatus,
      requestId,
      clientAddress: request.clientAddress,
      userAgent: single(request.headers["user-agent"])?.slice(0, 256) ?? null,
    });
  const fail = async (status: number, decision: string, title: string, line: string, reason: string | null = null, providerStatus: number | null = null) => {
    await audit(decision, reason ?? line, status, providerStatus);
    return renderPage(status, { title, ok: false, lines: [line, again] }, requestId);
  };

  const cookie = readConnectCookie(request.headers);
  const [sessionId, nonce] = (cookie ?? "").split(".");
  if (!sessionId || !nonce) {
    return fail(
      400,
      "CONNECT_NOT_STARTED_HERE",
      "This browser did not start this connection",
      "The connect cookie is missing: finish the flow in the browser that opened the connect link.",
    );
  }
  const idHash = sha256Hex(sessionId);
  const now = ctx.clock.now();
  const session = await ctx.store.getSession(idHash, now);
  if (session?.stage !== "started" || session.gatewayId !== gateway.id || session.connection !== connection) {
    return fail(410, "CONNECT_SESSION_INVALID", "This connect flow has expired or was already finished", "Connect links work once and only for a few minutes.");
  }
  const state = params.get("state") ?? "";
  if (!sameHash(session.browserHash, sha256Hex(nonce)) || !sameHash(session.stateHash, sha256Hex(state))) {
    return fail(
      400,
      "CONNECT_STATE_MISMATCH",
      "This answer does not belong to the flow this browser started",
      "The state parameter or the connect cookie does not match.",
    );
  }
  const finished = await ctx.store.finishSession(idHash, sha256Hex(state), now);
  if (!finished)
    return fail(410, "CONNECT_SESSION_INVALID", "This connect flow has expired or was already finished", "Connect links work once and only for a few minutes.");
  const clearCookie = {
    "set-cookie": connectCookie(
      "",
      `${new URL(finished.baseUrl).pathname.replace(/\/+$/, "")}/api/${gateway.id}/oauth/${connection}/`,
      finished.baseUrl.startsWith("https:"),
      0,
    ),
  };

  const providerError = params.get("error");
  if (providerError) {
    const description = params.get("error_description");
    const words = `${providerError.slice(0, 100)}${description ? ` (${description.slice(0, 200)})` : ""}`;
    const response = await fail(
      400,
      providerError === "access_denied" ? "CONNECT_DENIED" : "CONNECT_PROVIDER_ERROR",
      "The provider did not grant access",
      `The provider answered: ${words}.`,
    );
    return withHeaders(response, clearCookie);
  }
  const iss = params.get("iss");
  if ((iss !== null && preset.issuer !== null && iss !== preset.issuer) || (iss === null && preset.requireIss)) {
    return withHeaders(
      await fail(
        400,
        "CONNECT_ISSUER_MISMATCH",
        "The answer did not come from the expected provider",
        "The iss parameter is missing or names another issuer (RFC 9207).",
      ),
      clearCookie,
    );
  }
  const code = params.get("code");
  if (!code) return withHeaders(await fail(400, "CONNECT_NO_CODE", "The provider sent no authorization code", "The callback has no code."), clearCookie);

  let client: ClientCredentials;
  try {
    client = await ctx.client(gateway, connection);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "client secret unavailable";
    return withHeaders(
      await fail(
        500,
        "CONNECT_MISCONFIGURED",
        "The gateway cannot finish this connection",
        "The connection's client secret is not available to the gateway.",
        reason,
      ),
      clearCookie,
    );
  }
  const verifier = finished.sealedVerifier ? await ctx.box.open(finished.sealedVerifier, verifierContext(gateway.id, connection)) : null;
  const reply = await callTokenEndpoint(
    ctx.http,
    preset,
    client,
    {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(finished.baseUrl, gateway.id, connection),
      ...(verifier ? { code_verifier: verifier } : {}),
    },
    () => ctx.clock.now(),
  );
  const parsed = reply.ok ? parseTokenResponse(preset, reply.body, reply.sentAt, "code") : reply.failure;
  if (isTokenFailure(parsed)) {
    const decision =
      parsed.class === "misconfigured" ? "CONNECT_MISCONFIGURED" : parsed.class === "grant_dead" ? "CONNECT_CODE_REFUSED" : "CONNECT_PROVIDER_UNAVAILABLE";
    const response = await fail(
      502,
      decision,
      "The connection could not be completed",
      `${FAILURE_WORDS[parsed.class]} Provider error: ${parsed.code}.`,
      `${parsed.code}: ${parsed.message}`,
      parsed.status,
    );
    return withHeaders(response, clearCookie);
  }
  const body = reply.ok ? reply.body : {};
  const identity = await fetchIdentity(ctx.http, preset, parsed.tokens.accessToken, body);
  const scopes = parsed.scopes ?? [...preset.scopes, ...preset.userScopes];
  const written = await store(ctx, gateway, connection, preset.provider, parsed, identity, scopes);
  if (!written)
    return withHeaders(
      await fail(503, "CONNECT_STORE_CONFLICT", "The connection could not be saved", "Another change to this connection happened at the same time."),
      clearCookie,
    );
  onConnected();
  await audit("OK", identity?.label ? `connected as ${identity.label}` : null, 200, 200);

  const requested = [...preset.scopes, ...preset.userScopes];
  const missing = parsed.scopes ? requested.filter((s) => !parsed.scopes!.includes(s)) : [];
  const facts: Array<[string, string]> = [
    ["Connected as", identity?.label ?? identity?.id ?? "(the provider does not say)"],
    ["Scopes", scopes.length ? scopes.join(" ") : "(none reported)"],
    ["Token expires", parsed.expiresAt ? new Date(parsed.expiresAt).toISOString() : "not signalled by the provider"],
    ["Refresh token", parsed.tokens.refreshToken ? "held (sealed)" : "none"],
  ];
  if (missing.length) facts.push(["Not granted", missing.join(" ")]);
  const title = `Connected as ${identity?.label ?? identity?.id ?? "the authorizing account"}`;
  return renderPage(
    200,
    { title, ok: true, lines: [`Gateway ${gateway.name}, connection '${connection}' (${preset.provider}) is connected. You can close this window.`], facts },
    requestId,
    clearCookie,
  );
}

/** Writes the new connection, replacing any earlier one with a version-checked put (one retry). */
async function store(
  ctx: OAuthContext,
  gateway: Gateway,
  connection: string,
  provider: string,
  parsed: Exclude<ReturnType<typeof parseTokenResponse>, { class: string }>,
  identity: ConnectionIdentity | null,
  scopes: string[],
): Promise<boolean> {
  const sealedTokens = await sealTokens(ctx.box, gateway.id, connection, parsed.tokens);
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await ctx.store.get(gateway.id, connection);
    const now = ctx.clock.now();
    const record: ConnectionRecord = {
      gatewayId: gateway.id,
      connection,
      provider,
      version: (current?.version ?? 0) + 1,
      status: "connected",
      sealedTokens,
      identity,
      scopes,
      expiresAt: parsed.expiresAt,
      refreshable: parsed.tokens.refreshToken !== null,
      connectedAt: now,
      lastRefreshAt: null,
      lastError: null,
      updatedAt: now,
    };
    if (await ctx.store.put(record, current?.version ?? null)) return true;
  }
  return false;
}

function sameHash(stored: string | undefined, computed: string): boolean {
  if (!stored || stored.length !== computed.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(computed));
}

function withHeaders(response: GatewayResponse, headers: Record<string, string>): GatewayResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
