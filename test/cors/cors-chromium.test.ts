import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Method } from "gatehouse-gateway";
import { launchHeadlessChromium, type HeadlessChromium } from "../helpers/chromium.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 19 item 4 in a real browser: a page on one loopback origin calls the gateway on another
// with its Gatehouse token in a header. Chromium makes the preflight and enforces the answer.

/** A page server on 127.0.0.1: every path answers the same empty HTML page. */
async function startPageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>app</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let allowed: Awaited<ReturnType<typeof startPageServer>>;
let other: Awaited<ReturnType<typeof startPageServer>>;
let upstream: UpstreamStub;
let h: Harness;
let token: string;
let chromium: HeadlessChromium;

beforeAll(async () => {
  [allowed, other] = await Promise.all([startPageServer(), startPageServer()]);
  upstream = await startUpstream((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "x-total": "7", "access-control-allow-origin": "*" });
    res.end(JSON.stringify({ method: req.method, client: req.headers["x-client"] ?? null }));
  });
  h = await startHarness({
    name: "browser",
    endpoints: {
      api: {
        upstream: upstream.url,
        methods: ["GET", "POST"] satisfies Method[],
        headers: { forward: ["content-type", "x-client"] },
        unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
        cors: { origins: [allowed.origin], exposeHeaders: ["x-total"] },
      },
    },
  });
  token = (await h.token()).token;
  chromium = await launchHeadlessChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
  await upstream?.close();
  for (const page of [allowed, other]) page?.server.close();
});

/** Opens `origin` and runs a cross-origin POST to the gateway from it; resolves to what the page's script saw. */
async function callFrom(origin: string): Promise<{ ok: true; status: number; body: string; total: string | null } | { ok: false; error: string }> {
  const page: Page = await chromium.browser.newPage();
  // Watched, not intercepted: Playwright answers CORS preflights itself for routed requests,
  // which would take the gateway (and the browser's CORS check) out of the test.
  const offLoopback: string[] = [];
  page.on("request", (request) => {
    const host = new URL(request.url()).hostname;
    if (host !== "127.0.0.1") offLoopback.push(host);
  });
  await page.goto(`${origin}/`);
  const result = await page.evaluate(
    async ({ url, token }) => {
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-client": "spa" },
          body: JSON.stringify({ hello: "world" }),
        });
        return { ok: true as const, status: res.status, body: await res.text(), total: res.headers.get("x-total") };
      } catch (error) {
        return { ok: false as const, error: String(error) };
      }
    },
    { url: h.url("api", "/things"), token },
  );
  await page.close();
  expect(offLoopback).toEqual([]);
  return result;
}

describe("CORS in headless Chromium", () => {
  it("a page on the allowed origin calls the gateway with its token; the upstream gets the POST, never the preflight", async () => {
    upstream.seen.length = 0;
    const result = await callFrom(allowed.origin);
    expect(result).toEqual({ ok: true, status: 200, body: '{"method":"POST","client":"spa"}', total: "7" });
    expect(upstream.seen.map((s) => s.method)).toEqual(["POST"]);
    expect(upstream.seen[0]!.headers["x-client"]).toBe("spa");
    expect(upstream.seen[0]!.headers.authorization).toBeUndefined();
    expect(upstream.seen[0]!.body.toString()).toBe('{"hello":"world"}');
    const records = await h.audit(2);
    expect(records.slice(-2).map((r) => [r.method, r.status, r.decision])).toEqual([
      ["OPTIONS", 204, "CORS_PREFLIGHT"],
      ["POST", 200, "OK"],
    ]);
  });

  it("a page on another origin gets a network error: the preflight is refused and nothing reaches the upstream", async () => {
    upstream.seen.length = 0;
    const before = h.ports.audit.records.length;
    const result = await callFrom(other.origin);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toBe("TypeError: Failed to fetch");
    expect(upstream.seen).toEqual([]);
    const records = await h.audit(before + 1);
    expect(records.slice(before).map((r) => [r.method, r.status, r.decision])).toEqual([["OPTIONS", 401, "TOKEN_INVALID"]]);
  });
});
