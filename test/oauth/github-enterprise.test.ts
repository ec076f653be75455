import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import { resolvePreset } from "../../functions/oauth/resolve-preset.ts";
import { loopbackNetwork } from "./support/loopback-dial.ts";
import { pkceMatches, presetHarness, startStandIn, STAND_IN_CLIENT, type PresetHarness, type ProviderStandIn } from "./support/provider-harness.ts";

const client = { clientId: STAND_IN_CLIENT.id, clientSecret: secret("CLIENT_SECRET") };
const gatewayWith = (enterpriseHost: string) =>
  defineGateway({
    name: "ghes",
    connections: { conn: oauth.github({ ...client, scopes: ["repo"], enterpriseHost }) },
    endpoints: { api: { upstream: `https://${enterpriseHost}/api/v3`, methods: ["GET"], connection: "conn" } },
  });

describe("GitHub Enterprise Server: enterpriseHost on the github preset", () => {
  let standIn: ProviderStandIn;
  let h: PresetHarness | undefined;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    standIn.seen.length = 0;
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it("puts authorize and token on the host and the identity call under /api/v3 (GitHub's GHES URLs)", () => {
    const preset = resolvePreset(gatewayWith("github.example.com").connections.conn!);
    expect(preset.authorizationUrl).toBe("https://github.example.com/login/oauth/authorize");
    expect(preset.tokenUrl).toBe("https://github.example.com/login/oauth/access_token");
    expect(preset.userinfoUrl).toBe("https://github.example.com/api/v3/user");
    expect(preset.revocationUrl).toBe("https://github.example.com/api/v3/applications/{client_id}/grant");
    expect(resolvePreset(gatewayWith("ghe.corp.example:8443").connections.conn!).userinfoUrl).toBe("https://ghe.corp.example:8443/api/v3/user");
    const dotCom = resolvePreset(
      defineGateway({
        name: "gh",
        connections: { conn: oauth.github(client) },
        endpoints: { api: { upstream: "https://api.github.com", methods: ["GET"], connection: "conn" } },
      }).connections.conn!,
    );
    expect([dotCom.authorizationUrl, dotCom.tokenUrl, dotCom.userinfoUrl, dotCom.revocationUrl]).toEqual([
      "https://github.com/login/oauth/authorize",
      "https://github.com/login/oauth/access_token",
      "https://api.github.com/user",
      "https://api.github.com/applications/{client_id}/grant",
    ]);
  });

  it.each([
    ["https://github.example.com", "lower-case host name"],
    ["github.example.com/api", "lower-case host name"],
    ["GitHub.Example.com", "lower-case host name"],
    ["github.com", "leave it out for github.com"],
    ["localhost.localdomain.localhost", "name:localhost"],
    ["metadata.google.internal", "name:cloud-metadata"],
    ["10.0.0.7", "address rules"],
    ["169.254.169.254", "address rules"],
  ])("refuses enterpriseHost %s with a message naming the field", (host, words) => {
    expect(() => gatewayWith(host)).toThrow(/enterpriseHost/);
    expect(() => gatewayWith(host)).toThrow(new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });

  it("connects through the GHES host: every provider call is resolved and dialled through the SSRF guard", async () => {
    const net = loopbackNetwork({ "github.example.com": "127.0.0.1" }, Number(new URL(standIn.url).port));
    let challenge: string | null = null;
    standIn.route("POST /login/oauth/access_token", (request) => {
      if (request.fields.client_secret !== STAND_IN_CLIENT.secret || !pkceMatches(request.fields.code_verifier, challenge))
        return { json: { error: "bad_verification_code" } };
      return { json: { access_token: "gho_enterprise", scope: "repo", token_type: "bearer" } };
    });
    standIn.route("GET /api/v3/user", (request) =>
      request.headers.authorization === "Bearer gho_enterprise" ? { json: { login: "mona", id: 42 } } : { status: 401, json: { message: "Bad credentials" } },
    );
    // No endpoint overrides: the URLs are the preset's own https://github.example.com ones.
    h = presetHarness(gatewayWith("github.example.com"), {}, "CLIENT_SECRET", { lookup: net.lookup, dial: net.dial, unsafeAllowPrivate: ["127.0.0.1/32"] });
    const { authorize, page, html } = await h.connect((url) => {
      challenge = url.searchParams.get("code_challenge");
      return { code: "ghes-code" };
    });
    expect(`${authorize.origin}${authorize.pathname}`).toBe("https://github.example.com/login/oauth/authorize");
    expect(page.status).toBe(200);
    expect(html).toContain("Connected as mona");
    expect(standIn.seen.map((r) => `${r.method} ${r.path} ${r.headers.host}`)).toEqual([
      "POST /login/oauth/access_token github.example.com",
      "GET /api/v3/user github.example.com",
    ]);
    expect(net.asked).toContain("github.example.com");
    expect(net.dialed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(net.dialed.map((d) => JSON.stringify(d)))).toEqual(
      new Set([
        JSON.stringify({
          address: "127.0.0.1",
          port: "",
          protocol: "https:",
          servername: "github.example.com",
        }) /* port "": undici leaves the https default (443) implicit */,
      ]),
    );
  });

  it("a GHES host that resolves to a private address is never dialled, and the connect page says the provider could not be reached", async () => {
    const net = loopbackNetwork({ "github.example.com": "10.20.30.40" }, Number(new URL(standIn.url).port));
    h = presetHarness(gatewayWith("github.example.com"), {}, "CLIENT_SECRET", { lookup: net.lookup, dial: net.dial });
    const { page, html } = await h.connect(() => ({ code: "ghes-code" }));
    expect(page.status).toBe(502);
    expect(html).toContain("could not be reached");
    expect(net.asked).toContain("github.example.com");
    expect(net.dialed).toEqual([]);
    expect(standIn.seen).toEqual([]);
    expect(await h.store.get(h.gateway.id, "conn")).toBeNull();
  });
});
