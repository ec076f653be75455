import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import { LocalSecretBox } from "../../functions/adapters/local/local-secret-box.ts";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { MemoryConnectionStore } from "../../functions/adapters/memory/memory-connection-store.ts";
import { StaticSecretSource } from "../../functions/adapters/memory/static-secret-source.ts";
import { createOAuth } from "../../functions/oauth/wire-oauth.ts";
import { startStandIn, type ProviderStandIn } from "./support/provider-harness.ts";

describe("provider calls pass the SSRF guard", () => {
  let standIn: ProviderStandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
    standIn.route("POST /token", () => ({ json: { access_token: "never", token_type: "Bearer", expires_in: 60 } }));
  });
  afterAll(async () => {
    await standIn?.close();
  });

  const build = (authorizationUrl: string) => {
    const gateway = defineGateway({
      name: "ssrf",
      connections: { conn: oauth.generic({ clientId: "c", clientSecret: secret("S"), authorizationUrl, tokenUrl: `${standIn.url}/token` }) },
      endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
    });
    const warnings: string[] = [];
    // No unsafeAllowPrivate: loopback and private addresses are refused, as for upstreams.
    const module = createOAuth({
      store: new MemoryConnectionStore(),
      box: new LocalSecretBox(randomBytes(32)),
      secrets: new StaticSecretSource({ S: "secret" }),
      audit: new MemoryAuditSink(),
      log: { info() {}, warn: (event) => warnings.push(event), error() {} },
      gateways: [gateway],
    });
    return { gateway, module, warnings };
  };

  it("a token URL on loopback is never dialled; the refusal is a transient failure, not a dead grant", async () => {
    const { gateway, module, warnings } = build("https://auth.example.com/authorize");
    expect(warnings).toContain("oauth.url_refused");
    expect(await module.connections.accessToken(gateway, "conn")).toMatchObject({ ok: false, status: "not_connected" });
    const generic = defineGateway({
      name: "ssrf-cc",
      connections: { conn: oauth.generic({ clientId: "c", clientSecret: secret("S"), grant: "client_credentials", tokenUrl: `${standIn.url}/token` }) },
      endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
    });
    expect(await module.connections.accessToken(generic, "conn")).toMatchObject({ ok: false, status: "unavailable" });
    expect(standIn.seen).toHaveLength(0);
    await module.close();
  });

  it("an authorization URL on a private address is refused before any redirect", async () => {
    const { gateway, module } = build("http://10.0.0.7/authorize");
    const session = await module.createConnectSession(gateway, "conn", "https://gw.example.test");
    const url = new URL(session.url);
    const response = await module.oauthRoutes.handle(
      { method: "GET", path: url.pathname, query: url.search.slice(1), headers: {}, body: null, clientAddress: "127.0.0.1" },
      gateway,
      "conn",
      "start",
      "req_t",
    );
    expect(response.status).toBe(500);
    expect(response.headers.location).toBeUndefined();
    expect(Buffer.from(response.body as Uint8Array).toString()).toContain("refused by the address rules");
    await module.close();
  });
});
