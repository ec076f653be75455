import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "../../schema/index.ts";
import { sha256Hex } from "../../functions/oauth/create-connect-session.ts";
import type { GatewayRequest, GatewayResponse } from "../../functions/ports/http-types.ts";
import { presetHarness, startStandIn, STAND_IN_CLIENT, type PresetHarness, type ProviderStandIn } from "./support/provider-harness.ts";
import { connectCookieOf, readConfirmPage, type ConfirmPage } from "./support/press-connect.ts";

describe("connect links: a GET shows a confirm page and spends nothing; only its button (a POST) does", () => {
  let standIn: ProviderStandIn;
  let h: PresetHarness;
  let startUrl: URL;
  beforeAll(async () => {
    standIn = await startStandIn();
    standIn.route("POST /token", () => ({ json: { access_token: "at-1", token_type: "Bearer", expires_in: 3600 } }));
  });
  afterAll(async () => {
    await standIn?.close();
  });
  afterEach(async () => {
    await h?.close();
  });

  const setUp = async () => {
    const gateway = defineGateway({
      name: "confirm",
      connections: {
        conn: oauth.generic({
          clientId: STAND_IN_CLIENT.id,
          clientSecret: secret("CLIENT_SECRET"),
          authorizationUrl: `${standIn.url}/authorize`,
          tokenUrl: `${standIn.url}/token`,
          scopes: ["read"],
        }),
      },
      endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], connection: "conn" } },
    });
    h = presetHarness(gateway, {}, "CLIENT_SECRET");
    startUrl = new URL((await h.oauth.createConnectSession(gateway, "conn", "https://gw.example.test")).url);
  };
  const handle = (request: Partial<GatewayRequest> & { method: string }): Promise<GatewayResponse> =>
    h.oauth.oauthRoutes.handle(
      { path: startUrl.pathname, query: startUrl.search.slice(1), headers: {}, body: null, clientAddress: "127.0.0.1", ...request },
      h.gateway,
      "conn",
      "start",
      "req_confirm",
    );
  const get = async (cookie?: string): Promise<ConfirmPage> => readConfirmPage(await handle({ method: "GET", headers: cookie ? { cookie } : {} }));
  const post = (fields: Record<string, string>, headers: Record<string, string>) =>
    handle({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: Buffer.from(new URLSearchParams(fields).toString()),
    });
  const stage = async () => (await h.store.getSession(sha256Hex(startUrl.searchParams.get("session")!), h.clock.now()))?.stage ?? null;

  it("GET twice (an unfurler, then the person) leaves the link unspent; the button's POST redirects to the provider once", async () => {
    await setUp();
    const unfurler = await get();
    expect(unfurler.page.status).toBe(200);
    expect(unfurler.page.headers.location).toBeUndefined();
    expect(unfurler.html).toContain("Connect conn of gateway confirm");
    expect(unfurler.html).toContain('<button type="submit" id="confirm">');
    expect(unfurler.action).toBe(`start?session=${startUrl.searchParams.get("session")}`);
    expect(unfurler.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(String(unfurler.page.headers["set-cookie"])).toMatch(
      new RegExp(`^gatehouse_confirm=${unfurler.token}; Path=/api/${h.gateway.id}/oauth/conn/; Max-Age=\\d+; HttpOnly; SameSite=Strict; Secure$`),
    );
    // The redirect after the submission must be allowed by CSP form-action.
    expect(unfurler.page.headers["content-security-policy"]).toContain(`form-action 'self' ${standIn.url}`);
    expect(await stage()).toBe("issued");

    const person = await get();
    expect(person.page.status).toBe(200);
    expect(person.token).not.toBe(unfurler.token);
    expect(await stage()).toBe("issued");
    // A browser that already holds a confirm cookie keeps it, so a page opened in another tab still works.
    expect((await get(person.cookie)).token).toBe(person.token);

    const start = await post({ confirm: person.token }, { cookie: person.cookie, "sec-fetch-site": "same-origin", origin: "null" });
    expect(start.status).toBe(303);
    const authorize = new URL(String(start.headers.location));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${standIn.url}/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(connectCookieOf(start)).toMatch(/^gatehouse_connect=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(start.headers["set-cookie"]).toContain(`gatehouse_confirm=; Path=/api/${h.gateway.id}/oauth/conn/; Max-Age=0; HttpOnly; SameSite=Strict; Secure`);
    expect(await stage()).toBe("started");

    // Spent: the page and the button both say so now.
    expect((await get()).page.status).toBe(410);
    expect((await post({ confirm: person.token }, { cookie: person.cookie, "sec-fetch-site": "same-origin" })).status).toBe(410);
  });

  it("refuses a POST without the form token, without the cookie, with mismatched ones, from another site, or not a form; none spends the link", async () => {
    await setUp();
    const page = await get();
    const refusals: Array<[string, GatewayResponse]> = [
      ["no token", await post({}, { cookie: page.cookie, "sec-fetch-site": "same-origin" })],
      ["no cookie", await post({ confirm: page.token }, { "sec-fetch-site": "same-origin" })],
      ["other token", await post({ confirm: "x".repeat(43) }, { cookie: page.cookie })],
      ["other cookie", await post({ confirm: page.token }, { cookie: `gatehouse_confirm=${"y".repeat(43)}` })],
      ["cross-site", await post({ confirm: page.token }, { cookie: page.cookie, "sec-fetch-site": "cross-site" })],
      ["same-site", await post({ confirm: page.token }, { cookie: page.cookie, "sec-fetch-site": "same-site" })],
      ["other origin", await post({ confirm: page.token }, { cookie: page.cookie, origin: "https://evil.example" })],
      [
        "not a form",
        await handle({
          method: "POST",
          headers: { "content-type": "application/json", cookie: page.cookie },
          body: Buffer.from(JSON.stringify({ confirm: page.token })),
        }),
      ],
      ["too large", await post({ confirm: page.token, pad: "z".repeat(5000) }, { cookie: page.cookie })],
    ];
    for (const [why, response] of refusals) {
      expect([why, response.status]).toEqual([why, 403]);
      expect([why, response.headers.location]).toEqual([why, undefined]);
    }
    const html = Buffer.from(refusals[0]![1].body as Uint8Array).toString();
    expect(html).toContain("did not come from the gateway&#39;s page");
    expect(Buffer.from(refusals[4]![1].body as Uint8Array).toString()).toContain("came from another site");
    expect(await stage()).toBe("issued");
    expect(standIn.seen).toEqual([]);

    // The real button still works afterwards, and the gateway's own origin is accepted.
    const start = await post({ confirm: page.token }, { cookie: page.cookie, origin: "https://gw.example.test", "sec-fetch-site": "same-origin" });
    expect(start.status).toBe(303);
  });

  it("answers other methods with 405 and Allow: GET, POST", async () => {
    await setUp();
    for (const method of ["PUT", "HEAD", "DELETE"]) {
      const response = await handle({ method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("GET, POST");
    }
    expect(await stage()).toBe("issued");
  });
});
