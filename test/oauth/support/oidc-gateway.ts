import { randomBytes, randomUUID } from "node:crypto";
import { defineGateway, oauth, secret } from "../../../schema/index.ts";
import type { Gateway } from "../../../schema/gateway.ts";
import { createEngine, type Engine } from "../../../functions/engine/create-engine.ts";
import { LocalSecretBox } from "../../../functions/adapters/local/local-secret-box.ts";
import { MemoryAuditSink } from "../../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryConnectionStore } from "../../../functions/adapters/memory/memory-connection-store.ts";
import { MemoryRateLimiter } from "../../../functions/adapters/memory/memory-rate-limiter.ts";
import { MemoryTokenStore } from "../../../functions/adapters/memory/memory-token-store.ts";
import { StaticSecretSource } from "../../../functions/adapters/memory/static-secret-source.ts";
import { UndiciUpstreamClient } from "../../../functions/adapters/upstream/undici-upstream-client.ts";
import { createNodeServer } from "../../../functions/front-doors/node/node-server.ts";
import { createOAuth, type OAuth } from "../../../functions/oauth/wire-oauth.ts";
import type { RefreshSettings } from "../../../functions/oauth/oauth-context.ts";
import { systemClock, type Clock } from "../../../functions/ports/clock.ts";
import type { ConnectionStore } from "../../../functions/ports/connection-store.ts";
import { jsonLog } from "../../../functions/ports/log.ts";
import { issueToken } from "../../../functions/tokens/issue-token.ts";
import { listenLater, startOidcServer, type OidcServer } from "./oidc-server.ts";

/** A gateway in front of a loopback upstream, with one generic connection to a loopback oidc-provider. */
export interface OidcGateway {
  gateway: Gateway;
  base: string;
  oidc: OidcServer;
  oauth: OAuth;
  engine: Engine;
  store: ConnectionStore;
  box: LocalSecretBox;
  secrets: StaticSecretSource;
  audit: MemoryAuditSink;
  logLines: string[];
  /** The client's Gatehouse token. */
  clientToken: string;
  /** Bearer values the upstream received, in order. */
  bearersSeen: string[];
  /** Bearers the upstream answers 401 to regardless of the authorization server (a token revoked elsewhere). */
  upstreamRejects: Set<string>;
  /** GET through the gateway's proxy route. */
  proxy(path?: string): Promise<Response>;
  close(): Promise<void>;
}

export const CLIENT_ID = "gatehouse-e2e";
export const CLIENT_SECRET = "e2e-client-secret-0123456789";

/**
 * Starts the whole chain on loopback: oidc-provider (the authorization server), an upstream that
 * accepts a bearer only if oidc-provider's userinfo does, and the gateway (createEngine +
 * createOAuth + the node front door) between them.
 */
export async function startOidcGateway(options: {
  accessTokenTtl: number;
  devInteractions?: boolean;
  store?: ConnectionStore;
  box?: LocalSecretBox;
  refresh?: Partial<RefreshSettings>;
  clock?: Clock;
  /** Configure oidc-provider's RFC 7009 endpoint as the connection's `revocationUrl`. */
  revocation?: boolean;
}): Promise<OidcGateway> {
  const gatewayListener = await listenLater();
  const asListener = await listenLater();
  const upstreamListener = await listenLater();
  const id = randomUUID();
  const base = gatewayListener.url;
  const oidc = await startOidcServer({
    listener: asListener,
    redirectUri: `${base}/api/${id}/oauth/idp/callback`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accessTokenTtl: options.accessTokenTtl,
    devInteractions: options.devInteractions ?? false,
  });

  const bearersSeen: string[] = [];
  const upstreamRejects = new Set<string>();
  upstreamListener.handle((req, res) => {
    const authorization = req.headers.authorization ?? "";
    bearersSeen.push(authorization.replace(/^Bearer /, ""));
    if (upstreamRejects.has(authorization.replace(/^Bearer /, ""))) {
      res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
      res.end();
      return;
    }
    // The upstream trusts the bearer only if the authorization server's userinfo does.
    fetch(`${oidc.issuer}/me`, { headers: { authorization } })
      .then(async (answer) => {
        res.writeHead(answer.status === 200 ? 200 : 401, {
          "content-type": "application/json",
          ...(answer.status === 200 ? {} : { "www-authenticate": answer.headers.get("www-authenticate") ?? "Bearer" }),
        });
        res.end(answer.status === 200 ? await answer.text() : JSON.stringify({ error: "invalid_token" }));
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });

  const gateway = defineGateway({
    name: "e2e",
    id,
    connections: {
      idp: oauth.generic({
        clientId: CLIENT_ID,
        clientSecret: secret("IDP_CLIENT_SECRET"),
        authorizationUrl: `${oidc.issuer}/auth`,
        tokenUrl: `${oidc.issuer}/token`,
        userinfoUrl: `${oidc.issuer}/me`,
        ...(options.revocation ? { revocationUrl: `${oidc.issuer}/token/revocation` } : {}),
        scopes: ["openid", "email", "offline_access"],
        // oidc-provider issues refresh tokens for offline_access only with prompt=consent.
        authorizeParams: { prompt: "consent" },
        tokenAuth: "client_secret_post",
      }),
    },
    endpoints: {
      api: { upstream: upstreamListener.url, methods: ["GET", "POST"], connection: "idp", unsafeAllowPrivateNetworks: ["127.0.0.1/32"] },
    },
  });

  const logLines: string[] = [];
  const log = jsonLog((line) => logLines.push(line));
  const store = options.store ?? new MemoryConnectionStore();
  const box = options.box ?? new LocalSecretBox(randomBytes(32));
  const secrets = new StaticSecretSource({ IDP_CLIENT_SECRET: CLIENT_SECRET });
  const audit = new MemoryAuditSink();
  const clock = options.clock ?? systemClock;
  const oauthModule = createOAuth({
    store,
    box,
    secrets,
    audit,
    log,
    clock,
    gateways: [gateway],
    network: { unsafeAllowPrivate: ["127.0.0.1/32"] },
    ...(options.refresh ? { refresh: options.refresh } : {}),
  });
  const tokens = new MemoryTokenStore();
  const { token: clientToken } = await issueToken(tokens, { gatewayId: id, label: "e2e", now: Date.now() });
  const upstream = new UndiciUpstreamClient();
  const engine = createEngine({
    gateways: [gateway],
    ports: {
      tokens,
      rateLimiter: new MemoryRateLimiter(),
      audit,
      secrets,
      upstream,
      clock,
      log,
      connections: oauthModule.connections,
      oauthRoutes: oauthModule.oauthRoutes,
    },
  });
  const door = createNodeServer(engine);
  gatewayListener.handle((req, res) => door.server.emit("request", req, res));

  return {
    gateway,
    base,
    oidc,
    oauth: oauthModule,
    engine,
    store,
    box,
    secrets,
    audit,
    logLines,
    clientToken,
    bearersSeen,
    upstreamRejects,
    proxy: (path = "/whoami") => fetch(`${base}/api/${id}/proxy/api${path}`, { headers: { authorization: `Bearer ${clientToken}` } }),
    async close() {
      await oauthModule.close();
      await upstream.close();
      for (const listener of [gatewayListener, upstreamListener]) {
        listener.server.closeAllConnections();
        await new Promise<void>((resolve) => listener.server.close(() => resolve()));
      }
      await oidc.close();
    },
  };
}

/**
 * Plays a browser without one: opens the start URL (the confirm page), presses its button (a
 * same-origin form POST with the page's cookie), then follows redirects by hand through
 * oidc-provider's (headless) interactions back to the gateway's callback, keeping cookies.
 * Cookies are per host, not per port, as in a browser.
 */
export async function connectHeadless(
  startUrl: string,
  jar: Map<string, { value: string; path: string }> = new Map(),
): Promise<{ status: number; html: string; hops: string[] }> {
  let next = startUrl;
  let post: string | null = null;
  const hops: string[] = [];
  for (let hop = 0; hop < 15; hop++) {
    hops.push(next);
    const url = new URL(next);
    const cookie = [...jar]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
    const response = await fetch(next, {
      redirect: "manual",
      ...(post !== null
        ? {
            method: "POST",
            body: post,
            headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", ...(cookie ? { cookie } : {}) },
          }
        : { headers: cookie ? { cookie } : {} }),
    });
    post = null;
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const path =
        attributes
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith("path="))
          ?.slice(5) ?? "/";
      const maxAge = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith("max-age="));
      if (maxAge === "Max-Age=0" || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, { value: pair!.slice(at + 1), path });
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer();
      next = new URL(location, next).href;
      continue;
    }
    const html = await response.text();
    const form = /<form method="post" action="([^"]+)"><input type="hidden" name="confirm" value="([^"]+)">/.exec(html);
    if (response.status === 200 && form && url.pathname.endsWith("/start")) {
      next = new URL(form[1]!.replace(/&amp;/g, "&"), next).href;
      post = new URLSearchParams({ confirm: form[2]! }).toString();
      continue;
    }
    return { status: response.status, html, hops };
  }
  throw new Error("too many redirects");
}
