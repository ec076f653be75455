import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Method } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 19 item 4 at the HTTP level: exact fields of the gateway's CORS answers, on the Node door.

const APP = "https://app.acme.example";
const OTHER = "https://evil.example";

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  // An upstream with CORS opinions of its own, which must never reach the browser.
  upstream = await startUpstream((_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      "access-control-allow-origin": "*",
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "x-secret-header",
      vary: "Accept-Encoding",
      "x-total": "42",
    });
    res.end('{"ok":true}');
  });
  const common = { upstream: upstream.url, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  h = await startHarness({
    name: "cors",
    endpoints: {
      app: {
        ...common,
        methods: ["GET", "POST", "DELETE"] satisfies Method[],
        headers: { forward: ["content-type", "x-client"] },
        cors: { origins: [APP, "http://localhost:5173"], methods: ["GET", "POST"], exposeHeaders: ["X-Total"], credentials: true, maxAgeSeconds: 300 },
      },
      open: { ...common, methods: ["GET"] satisfies Method[], cors: { origins: ["*"] } },
      plain: { ...common, methods: ["GET", "OPTIONS"] satisfies Method[] },
    },
  });
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

const preflight = (slug: string, origin: string, method: string, requestHeaders?: string) =>
  send(h.url(slug, "/items"), {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, ...(requestHeaders ? { "access-control-request-headers": requestHeaders } : {}) },
  });
const corsFields = (headers: Record<string, unknown>) => Object.keys(headers).filter((n) => n.startsWith("access-control-"));

describe("preflight", () => {
  it("from an allowed origin: 204 from the gateway itself, no token, nothing forwarded, audited as CORS_PREFLIGHT", async () => {
    const before = upstream.seen.length;
    const res = await preflight("app", APP, "POST", "authorization,content-type,x-client");
    expect(res.status).toBe(204);
    expect(res.body.byteLength).toBe(0);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    expect(res.headers["access-control-allow-methods"]).toBe("GET, POST");
    expect(res.headers["access-control-allow-headers"]).toBe("authorization, content-type, x-client");
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    expect(res.headers["access-control-max-age"]).toBe("300");
    expect(res.headers.vary).toBe("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    expect(upstream.seen.length).toBe(before);
    const record = (await h.audit(1)).at(-1)!;
    expect(record).toMatchObject({ method: "OPTIONS", status: 204, decision: "CORS_PREFLIGHT", endpoint: "app", tokenId: null });
  });

  it.each([
    ["an origin not listed", OTHER, "POST", undefined],
    ["an origin differing only in port", "https://app.acme.example:8443", "GET", undefined],
    ["a method the policy leaves out (the endpoint allows DELETE)", APP, "DELETE", undefined],
    ["a request header not allowed", APP, "POST", "x-other"],
  ])("refused for %s: the usual token-less 401, no CORS headers at all", async (_why, origin, method, requestHeaders) => {
    const res = await preflight("app", origin, method, requestHeaders);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="gatehouse"');
    expect(corsFields(res.headers)).toEqual([]);
  });

  it("on an endpoint without cors: the usual 401, even if OPTIONS is an allowed method", async () => {
    const res = await preflight("plain", APP, "GET");
    expect(res.status).toBe(401);
    expect(corsFields(res.headers)).toEqual([]);
  });

  it("with origins ['*']: Access-Control-Allow-Origin is *, no credentials", async () => {
    const res = await preflight("open", OTHER, "GET");
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(res.headers["access-control-allow-headers"]).toBe(
      "accept, accept-encoding, accept-language, authorization, content-encoding, content-type, if-match, if-modified-since, if-none-match, if-unmodified-since, range, user-agent",
    );
    expect(res.headers["access-control-max-age"]).toBe("600");
  });
});

describe("actual responses", () => {
  it("to an allowed origin: the gateway's CORS fields, never the upstream's, and Origin added to the upstream's Vary", async () => {
    const res = await send(h.url("app", "/items"), { headers: { ...auth, origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    expect(res.headers["access-control-expose-headers"]).toBe("x-total");
    expect(corsFields(res.headers).sort()).toEqual(["access-control-allow-credentials", "access-control-allow-origin", "access-control-expose-headers"]);
    expect(res.headers.vary).toBe("Accept-Encoding, Origin");
  });

  it("to another origin: no CORS fields (the upstream's are stripped), Vary still names Origin", async () => {
    const res = await send(h.url("app", "/items"), { headers: { ...auth, origin: OTHER } });
    expect(res.status).toBe(200);
    expect(corsFields(res.headers)).toEqual([]);
    expect(res.headers.vary).toBe("Accept-Encoding, Origin");
  });

  it("a refusal to an allowed origin carries CORS too, so the page can read the 401", async () => {
    const res = await send(h.url("app", "/items"), { headers: { origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    expect(res.headers.vary).toBe("Origin");
  });

  it("an endpoint without cors passes no upstream Access-Control-* field and adds no Vary", async () => {
    const res = await send(h.url("plain", "/items"), { headers: { ...auth, origin: APP } });
    expect(res.status).toBe(200);
    expect(corsFields(res.headers)).toEqual([]);
    expect(res.headers.vary).toBe("Accept-Encoding");
    expect(res.headers["x-total"]).toBe("42");
  });
});
