import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oauth, secret, type Method } from "gatehouse-gateway";
import { auditedBody } from "../../functions/engine/audited-body.ts";
import { SecretScrubber } from "../../functions/engine/scrub-secrets.ts";
import { startDemoEchoUpstream } from "../../functions/front-doors/node/demo-echo-upstream.ts";
import type { ConnectionTokens } from "../../functions/ports/connection-tokens.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 2: an upstream that reflects the request (httpbin's /headers, an error page
// repeating it) must not hand the injected secret, or the OAuth access token, to the client.

const KEY = "sk_live_reflected_7d2a9c";
const BEARER = "gho_accesstoken_for_reflection_31f";
const stars = (text: string) => "*".repeat(text.length);

/** ConnectionTokens that always give one token: the OAuth side is not under test here. */
const fixedToken: ConnectionTokens = { accessToken: async () => ({ ok: true, token: BEARER }) };

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream(async (req, res) => {
    const key = String(req.headers["x-api-key"] ?? "");
    const authorization = String(req.headers.authorization ?? "");
    const url = req.url ?? "";
    if (url.endsWith("/headers")) {
      const body = JSON.stringify({ headers: { "x-api-key": key, authorization } });
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "x-echo-key": key,
        "x-echo-auth": [authorization, `again:${key}`],
      });
      res.end(body);
    } else if (url.endsWith("/split")) {
      // The key written in three pieces with pauses, so it crosses chunk boundaries on the way.
      res.writeHead(200, { "content-type": "text/plain", "content-length": String(KEY.length + 8) });
      res.write(`head${KEY.slice(0, 5)}`);
      await new Promise((r) => setTimeout(r, 30));
      res.write(KEY.slice(5, 12));
      await new Promise((r) => setTimeout(r, 30));
      res.end(`${KEY.slice(12)}tail`);
    } else if (url.endsWith("/ends-in-prefix")) {
      // Ends in the key's first bytes: the scrubber holds them back until the body ends.
      const body = `ends with ${KEY.slice(0, 7)}`;
      res.writeHead(200, { "content-type": "text/plain", "content-length": String(body.length) });
      res.end(body);
    } else if (url.endsWith("/gzip")) {
      const body = gzipSync(`key=${key}`);
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip", "content-length": body.byteLength, "x-echo-key": key });
      res.end(body);
    } else {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("nothing to see");
    }
  });
  const common = { methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  h = await startHarness(
    {
      name: "acme",
      connections: { gh: oauth.github({ clientId: "Iv1.abc", clientSecret: secret("GH_SECRET"), scopes: ["repo"] }) },
      endpoints: {
        keyed: { ...common, upstream: `${upstream.url}/k`, headers: { inject: { "x-api-key": secret("API_KEY"), "x-literal": "not-a-secret-literal" } } },
        bearer: { ...common, upstream: `${upstream.url}/b`, connection: "gh" },
      },
    },
    { secrets: { API_KEY: KEY, GH_SECRET: "client-secret" }, ports: { connections: fixedToken } },
  );
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

describe("response headers and bodies are scrubbed of injected secrets", () => {
  it("an echoed key is masked in headers and body, same length, Content-Length right, audit marked", async () => {
    const before = h.ports.audit.records.length;
    const res = await send(h.url("keyed", "/headers"), { headers: auth });
    expect(res.status).toBe(200);
    expect(upstream.seen.at(-1)!.headers["x-api-key"]).toBe(KEY); // the upstream did get it
    expect(res.text).not.toContain(KEY);
    expect(res.json()).toEqual({ headers: { "x-api-key": stars(KEY), authorization: "" } });
    expect(res.headers["content-length"]).toBe(String(res.body.byteLength));
    expect(res.headers["x-echo-key"]).toBe(stars(KEY));
    expect(res.headers["x-echo-auth"]).toBe(`, again:${stars(KEY)}`);
    const records = await h.audit(before + 1);
    expect(records.at(-1)!.secretsScrubbed).toBe(true);
  });

  it("a key split across three body chunks is still masked", async () => {
    const res = await send(h.url("keyed", "/split"), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.text).toBe(`head${stars(KEY)}tail`);
  });

  it("a body ending in the start of the key gets those bytes at its end, unmasked, and a complete audit", async () => {
    const before = h.ports.audit.records.length;
    const res = await send(h.url("keyed", "/ends-in-prefix"), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.text).toBe(`ends with ${KEY.slice(0, 7)}`);
    const records = await h.audit(before + 1);
    expect(records.at(-1)!).toMatchObject({ decision: "OK", bytesOut: 17 });
    expect(records.at(-1)!.secretsScrubbed).toBeUndefined();
  });

  it("the OAuth access token is masked too", async () => {
    const res = await send(h.url("bearer", "/headers"), { headers: auth });
    expect(res.status).toBe(200);
    expect(upstream.seen.at(-1)!.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(res.json()).toEqual({ headers: { "x-api-key": "", authorization: `Bearer ${stars(BEARER)}` } });
    expect(res.headers["x-echo-auth"]).toBe(`Bearer ${stars(BEARER)}, again:`);
  });

  it("a compressed body is passed as is (documented), its headers are still scrubbed", async () => {
    const res = await send(h.url("keyed", "/gzip"), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers["x-echo-key"]).toBe(stars(KEY));
    expect(res.body.equals(gzipSync(`key=${KEY}`))).toBe(true);
  });

  it("a clean response is untouched and its audit record is not marked", async () => {
    const before = h.ports.audit.records.length;
    const res = await send(h.url("keyed", "/plain"), { headers: auth });
    expect(res.text).toBe("nothing to see");
    const records = await h.audit(before + 1);
    expect(records.at(-1)!.secretsScrubbed).toBeUndefined();
  });
});

describe("the scrubber at every split point", () => {
  const scrubber = new SecretScrubber([KEY, "short", "abc"]);
  const collect = async (chunks: string[]) => {
    let scrubbed = 0;
    const out: Buffer[] = [];
    async function* source() {
      for (const c of chunks) yield new TextEncoder().encode(c);
    }
    const body = auditedBody(
      source(),
      scrubber.filter(() => scrubbed++),
      async () => {},
    );
    for await (const part of body) out.push(Buffer.from(part));
    return { text: Buffer.concat(out).toString(), scrubbed };
  };
  const text = `x${KEY}y short abc`;
  it.each(Array.from({ length: text.length + 1 }, (_, i) => i))("split at %i: masked, same length, reported once", async (at) => {
    const { text: out, scrubbed } = await collect([text.slice(0, at), text.slice(at)]);
    expect(out).toBe(`x${stars(KEY)}y ***** abc`);
    expect(scrubbed).toBe(1);
  });
  it("one byte per chunk", async () => {
    expect((await collect([...text])).text).toBe(`x${stars(KEY)}y ***** abc`);
  });
  it("values under 4 characters are not scrubbed (they would mangle every body)", () => {
    expect(scrubber.scrubString("abc")).toBe("abc");
  });
});

describe("the quickstart's demo echo", () => {
  it("no longer shows x-demo-key or its value to the client, and still says it was injected", async () => {
    const echo = await startDemoEchoUpstream(0);
    const port = (echo.address() as AddressInfo).port;
    const demo = await startHarness(
      {
        name: "quickstart",
        endpoints: {
          echo: {
            upstream: `http://127.0.0.1:${port}/echo`,
            methods: ["GET"],
            headers: { forward: ["accept"], inject: { "x-demo-key": secret("QUICKSTART_DEMO_KEY") } },
            unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
          },
        },
      },
      { secrets: { QUICKSTART_DEMO_KEY: "demo-value-not-a-secret" } },
    );
    try {
      const res = await send(demo.url("echo", "/hello"), { headers: { authorization: `Bearer ${(await demo.token()).token}`, accept: "application/json" } });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("x-demo-key");
      expect(res.text).not.toContain("demo-value-not-a-secret");
      expect(res.json()).toMatchObject({ method: "GET", path: "/echo/hello", demoKeyInjected: true });
    } finally {
      await demo.close();
      echo.close();
    }
  });
});
