import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../functions/oauth/create-connect-session.ts";
import { launchHeadlessChromium, type HeadlessChromium } from "../helpers/chromium.ts";
import { startOidcGateway, type OidcGateway } from "./support/oidc-gateway.ts";

describe("the connect flow in headless Chromium against oidc-provider's own login and consent pages", () => {
  let h: OidcGateway;
  let chromium: HeadlessChromium;
  let browser: BrowserContext;
  beforeAll(async () => {
    h = await startOidcGateway({ accessTokenTtl: 60, devInteractions: true });
    chromium = await launchHeadlessChromium();
    browser = chromium.browser;
  });
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
  });

  it("clicks through login and consent and ends on the 'connected as' page", async () => {
    const session = await h.oauth.createConnectSession(h.gateway, "idp", h.base);
    const page = await browser.newPage();
    const blocked: string[] = [];
    // Loopback only: oidc-provider's dev pages import a web font, which must not leave the machine.
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === "127.0.0.1" || host === "[::1]") return route.continue();
      blocked.push(host);
      return route.abort();
    });
    await page.goto(session.url);
    // The link alone spends nothing: the confirm page's button does.
    expect(await page.textContent("#result")).toBe("Connect idp of gateway e2e");
    expect((await h.store.getSession(sha256Hex(new URL(session.url).searchParams.get("session")!), Date.now()))?.stage).toBe("issued");
    await page.reload();
    await page.click("#confirm");
    await page.fill('input[name="login"]', "alice");
    await page.fill('input[name="password"]', "any-password");
    await page.click('button[type="submit"]');
    await page.waitForSelector('button:has-text("Continue")');
    await page.click('button:has-text("Continue")');
    await page.waitForSelector("#result");
    expect(await page.textContent("#result")).toBe("Connected as alice@example.test");
    expect(page.url()).toMatch(new RegExp(`^${h.base}/api/${h.gateway.id}/oauth/idp/callback\\?code=`));
    expect(await page.textContent("body")).toContain("offline_access");
    expect(blocked.every((host) => host === "fonts.googleapis.com")).toBe(true);
    await page.close();

    expect(await h.store.get(h.gateway.id, "idp")).toMatchObject({ status: "connected", identity: { id: "alice" } });
    const proxied = await h.proxy();
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toMatchObject({ sub: "alice" });
  });
});
