import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A loopback oidc-provider (the real authorization server of the end-to-end tests). */
export interface OidcServer {
  issuer: string;
  provider: Provider;
  /** Successful token requests by grant type, and failed ones. */
  grants: { authorization_code: number; refresh_token: number; errors: string[] };
  /** Milliseconds each refresh is held before it answers (widens race windows). */
  setRefreshDelay(ms: number): void;
  close(): Promise<void>;
}

/** A server listening on 127.0.0.1 whose handler is set later (ports must be known before the provider exists). */
export async function listenLater(): Promise<{
  server: Server;
  port: number;
  url: string;
  handle(h: (req: IncomingMessage, res: ServerResponse) => void): void;
}> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { server, port, url: `http://127.0.0.1:${port}`, handle: (h) => (handler = h) };
}

/**
 * Starts oidc-provider on a server from {@link listenLater}: one confidential client
 * (`client_secret_post`), rotating refresh tokens, no clock tolerance, short access tokens,
 * revocation and introspection on. Interactions are either oidc-provider's own login and consent
 * pages (`devInteractions`, for the browser test) or finished headlessly as `user-1`
 * (ANCHORS.md §8) so plain `fetch` can walk the redirects.
 */
export async function startOidcServer(options: {
  listener: Awaited<ReturnType<typeof listenLater>>;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  accessTokenTtl: number;
  devInteractions: boolean;
}): Promise<OidcServer> {
  const issuer = options.listener.url;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    cookies: { keys: ["test-only-cookie-key"] },
    features: {
      devInteractions: { enabled: options.devInteractions },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    ...(options.devInteractions ? {} : { interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` } }),
    clockTolerance: 0,
    rotateRefreshToken: true,
    ttl: { AccessToken: options.accessTokenTtl, AuthorizationCode: 60, RefreshToken: 3600, Grant: 3600, Session: 3600, Interaction: 600, IdToken: 3600 },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, email: `${sub}@example.test`, name: `User ${sub}` }) }),
    claims: { openid: ["sub"], email: ["email"], profile: ["name"] },
  } as ConstructorParameters<typeof Provider>[1]);

  const grants = { authorization_code: 0, refresh_token: 0, errors: [] as string[] };
  provider.on("grant.success", (ctx: { oidc: { params?: { grant_type?: string } } }) => {
    const type = ctx.oidc.params?.grant_type;
    if (type === "authorization_code" || type === "refresh_token") grants[type]++;
  });
  provider.on("grant.error", (_ctx: unknown, error: { error?: string }) => grants.errors.push(error.error ?? "unknown"));
  let refreshDelay = 0;

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    let result;
    if (details.prompt.name === "login") {
      result = { login: { accountId: "user-1" } };
    } else {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant!.addResourceScope(indicator, scopes.join(" "));
      result = { consent: { grantId: await grant!.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }

  const callback = provider.callback();
  options.listener.handle((req, res) => {
    if (!options.devInteractions && req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    if (refreshDelay > 0 && req.method === "POST" && req.url === "/token") {
      setTimeout(() => callback(req, res), refreshDelay);
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    provider,
    grants,
    setRefreshDelay: (ms) => (refreshDelay = ms),
    close: () =>
      new Promise<void>((resolve) => {
        options.listener.server.closeAllConnections();
        options.listener.server.close(() => resolve());
      }),
  };
}
