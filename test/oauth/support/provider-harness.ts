import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Gateway } from "../../../schema/gateway.ts";
import { LocalSecretBox } from "../../../functions/adapters/local/local-secret-box.ts";
import { MemoryAuditSink } from "../../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryConnectionStore } from "../../../functions/adapters/memory/memory-connection-store.ts";
import { StaticSecretSource } from "../../../functions/adapters/memory/static-secret-source.ts";
import { TestClock } from "../../../functions/adapters/memory/test-clock.ts";
import { createOAuth, type OAuth } from "../../../functions/oauth/wire-oauth.ts";
import type { OAuthNetworkOptions } from "../../../functions/adapters/upstream/create-oauth-http.ts";
import type { EndpointOverrides } from "../../../functions/oauth/provider-preset.ts";
import { openTokens } from "../../../functions/oauth/token-vault.ts";
import type { GatewayResponse } from "../../../functions/ports/http-types.ts";
import { jsonLog } from "../../../functions/ports/log.ts";
import { connectCookieOf, pressConnect } from "./press-connect.ts";
import { createEngine, type Engine } from "../../../functions/engine/create-engine.ts";
import { MemoryRateLimiter } from "../../../functions/adapters/memory/memory-rate-limiter.ts";
import type { TokenStore } from "../../../functions/ports/token-store.ts";
import type { UpstreamClient } from "../../../functions/ports/upstream-client.ts";

/** One request the stand-in received. */
export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body as fields (form or JSON), whatever the content type. */
  fields: Record<string, string>;
}

/** The reply a stand-in route gives. */
export interface StandInReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** A loopback stand-in for a provider: routes by `METHOD /path`, every request recorded. */
export interface ProviderStandIn {
  url: string;
  seen: StandInRequest[];
  route(key: string, handler: (request: StandInRequest) => StandInReply): void;
  close(): Promise<void>;
}

/** Starts a stand-in on 127.0.0.1 that answers as the provider documents (routes set by each test). */
export async function startStandIn(): Promise<ProviderStandIn> {
  const routes = new Map<string, (request: StandInRequest) => StandInReply>();
  const seen: StandInRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "/").split("?")[0]!;
    let fields: Record<string, string> = {};
    if (body.trim().startsWith("{")) fields = JSON.parse(body) as Record<string, string>;
    else if (body) fields = Object.fromEntries(new URLSearchParams(body));
    const request = { method: req.method ?? "", path, headers: req.headers, body, fields };
    seen.push(request);
    const handler = routes.get(`${req.method} ${path}`);
    const reply = handler ? handler(request) : { status: 404, json: { error: "not_found" } };
    const payload = reply.text ?? (reply.json !== undefined ? JSON.stringify(reply.json) : "");
    res.writeHead(reply.status ?? 200, { "content-type": reply.text !== undefined ? "text/plain" : "application/json", ...reply.headers });
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    route: (key, handler) => routes.set(key, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The client id and secret the stand-ins expect. */
export const STAND_IN_CLIENT = { id: "client-123", secret: "s3cret/with:odd+chars" };

/** Basic credentials as a provider reads them (`id:secret`, base64). */
export function basicOf(request: StandInRequest): { id: string; secret: string } | null {
  const header = request.headers.authorization;
  if (!header?.startsWith("Basic ")) return null;
  const text = Buffer.from(header.slice(6), "base64").toString("utf8");
  const at = text.indexOf(":");
  return { id: text.slice(0, at), secret: text.slice(at + 1) };
}

/** True when the PKCE verifier matches the S256 challenge. */
export function pkceMatches(verifier: string | undefined, challenge: string | null): boolean {
  return !!verifier && !!challenge && createHash("sha256").update(verifier).digest("base64url") === challenge;
}

/** createOAuth over memory stores and a test clock, with provider URLs pointed at a stand-in. */
export interface PresetHarness {
  gateway: Gateway;
  oauth: OAuth;
  clock: TestClock;
  store: MemoryConnectionStore;
  audit: MemoryAuditSink;
  box: LocalSecretBox;
  /** Runs start, then the callback with what the provider would send; returns both answers. */
  connect(callback: (authorize: URL) => Record<string, string>): Promise<{ authorize: URL; start: GatewayResponse; page: GatewayResponse; html: string }>;
  tokens(): Promise<Awaited<ReturnType<typeof openTokens>>>;
  close(): Promise<void>;
}

/** Builds a {@link PresetHarness} for one gateway whose connection is named `conn`. */
export function presetHarness(
  gateway: Gateway,
  endpoints: EndpointOverrides,
  secretName: string,
  network: OAuthNetworkOptions = { unsafeAllowPrivate: ["127.0.0.1/32"] },
): PresetHarness {
  const clock = new TestClock(Date.now());
  const store = new MemoryConnectionStore();
  const audit = new MemoryAuditSink();
  const box = new LocalSecretBox(randomBytes(32));
  const oauth = createOAuth({
    store,
    box,
    secrets: new StaticSecretSource({ [secretName]: STAND_IN_CLIENT.secret }),
    audit,
    log: jsonLog(() => {}),
    clock,
    network,
    endpoints,
    refresh: { retryBaseMs: 5, tokenCacheMs: 0 },
  });
  const get = (path: string, query: string, cookie?: string) =>
    oauth.oauthRoutes.handle(
      { method: "GET", path, query, headers: cookie ? { cookie } : {}, body: null, clientAddress: "127.0.0.1" },
      gateway,
      "conn",
      path.split("/").at(-1)!,
      `req_test${Math.random().toString(16).slice(2)}`,
    );
  return {
    gateway,
    oauth,
    clock,
    store,
    audit,
    box,
    async connect(callback) {
      const session = await oauth.createConnectSession(gateway, "conn", "https://gw.example.test");
      const { start } = await pressConnect(
        (request) => oauth.oauthRoutes.handle(request, gateway, "conn", request.path.split("/").at(-1)!, "req_test"),
        session.url,
      );
      if (start.status !== 303) return { authorize: new URL("about:blank"), start, page: start, html: Buffer.from(start.body as Uint8Array).toString("utf8") };
      const authorize = new URL(String(start.headers.location));
      const cookie = connectCookieOf(start);
      const params = new URLSearchParams({ state: authorize.searchParams.get("state") ?? "", ...callback(authorize) });
      const page = await get(`/api/${gateway.id}/oauth/conn/callback`, params.toString(), cookie);
      return { authorize, start, page, html: Buffer.from(page.body as Uint8Array).toString("utf8") };
    },
    async tokens() {
      const record = await store.get(gateway.id, "conn");
      return openTokens(box, gateway.id, "conn", record!.sealedTokens!);
    },
    close: () => oauth.close(),
  };
}

/** An engine serving the harness's gateway with its connections, audit and clock, over `tokens` and `upstream`. */
export function harnessEngine(h: PresetHarness, tokens: TokenStore, upstream: UpstreamClient): Engine {
  return createEngine({
    gateways: [h.gateway],
    ports: {
      tokens,
      rateLimiter: new MemoryRateLimiter(),
      audit: h.audit,
      secrets: new StaticSecretSource({}),
      upstream,
      clock: h.clock,
      log: jsonLog(() => {}),
      connections: h.oauth.connections,
      oauthRoutes: h.oauth.oauthRoutes,
    },
  });
}
