import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secret, type Method } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    const headers: Record<string, string | string[]> = {
      "content-type": "application/json",
      connection: "keep-alive, x-upstream-private",
      "x-upstream-private": "hop",
      "keep-alive": "timeout=5",
      "alt-svc": 'h3=":443"',
      "set-cookie": ["session=abc; HttpOnly", "other=1"],
      "x-upstream": "kept",
    };
    if (req.url?.includes("redirect")) {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end('{"ok":true}');
  });
  const common = { methods: ["GET", "POST"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  h = await startHarness(
    {
      name: "acme",
      endpoints: {
        api: {
          ...common,
          upstream: `${upstream.url}/v1`,
          headers: { forward: ["accept", "content-type", "x-trace"], inject: { "x-api-key": secret("API_KEY"), "x-fixed": "literal" } },
          auditQueryValues: ["page"],
        },
        noquery: { ...common, upstream: `${upstream.url}/q`, forwardQuery: false },
        nopath: { ...common, upstream: `${upstream.url}/exact`, forwardPath: false },
        cookies: { ...common, upstream: `${upstream.url}/c`, headers: { allowSetCookie: true } },
      },
    },
    { secrets: { API_KEY: "k-123" } },
  );
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

const last = () => upstream.seen.at(-1)!;

describe("path tail and query", () => {
  it.each([
    ["/a%2Fb/c", "/v1/a%2Fb/c"],
    ["/%7Euser/%E2%9C%93", "/v1/%7Euser/%E2%9C%93"],
    ["/a%2fb", "/v1/a%2fb"],
    ["/x;y=1/z", "/v1/x;y=1/z"],
    ["//double", "/v1//double"],
    ["/", "/v1/"],
  ])("keeps %s byte for byte as %s", async (tail, expected) => {
    const r = await send(h.url("api", tail), { headers: auth });
    expect(r.status).toBe(200);
    expect(last().url).toBe(expected);
  });

  it.each(["/../admin", "/a/../../x", "/%2e%2e/admin", "/%2E%2E/admin", "/.%2e/x", "/a/./b", "/a\\..\\b", "/a%zz", "/a%00b"])(
    "refuses %s with 400 and forwards nothing",
    async (tail) => {
      const seen = upstream.seen.length;
      const r = await send(h.url("api", tail), { headers: auth });
      expect(r.status).toBe(400);
      expect(r.json().code).toBe("BAD_PATH");
      expect(upstream.seen.length).toBe(seen);
    },
  );

  it("forwards the query string raw, or drops it when the endpoint says so", async () => {
    await send(h.url("api", "/s?q=a%20b&x=%2F&flag"), { headers: auth });
    expect(last().url).toBe("/v1/s?q=a%20b&x=%2F&flag");
    await send(h.url("noquery", "/s?secret=1"), { headers: auth });
    expect(last().url).toBe("/q/s");
  });

  it("calls exactly the upstream URL when path forwarding is off, and 404s a tail", async () => {
    expect((await send(h.url("nopath"), { headers: auth })).status).toBe(200);
    expect(last().url).toBe("/exact");
    const seen = upstream.seen.length;
    const r = await send(h.url("nopath", "/more"), { headers: auth });
    expect(r.status).toBe(404);
    expect(upstream.seen.length).toBe(seen);
  });

  it("redacts query values in the audit unless listed", async () => {
    const before = h.ports.audit.records.length;
    await send(h.url("api", "/s?page=2&email=a%40b.c&token"), { headers: auth });
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.path).toBe(`/api/${h.gateway.id}/proxy/api/s?page=2&email=[redacted]&[redacted]`); // a bare item is redacted whole (issue 15 item 8)
  });
});

describe("request header policy", () => {
  it("forwards only the allowlist and never the gateway's own or the client's credentials", async () => {
    await send(h.url("api", "/h"), {
      method: "POST",
      headers: {
        ...auth,
        accept: "application/json",
        "content-type": "application/json",
        "x-trace": "t1",
        "x-not-listed": "no",
        cookie: "sid=1",
        "proxy-authorization": "Basic eA==",
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-custom-not-listed": "spoof",
        forwarded: "for=6.6.6.6",
        "x-api-key": "client-chosen",
        host: "evil.example",
      },
      body: '{"a":1}',
    });
    const seen = last();
    expect(seen.headers.accept).toBe("application/json");
    expect(seen.headers["content-type"]).toBe("application/json");
    expect(seen.headers["x-trace"]).toBe("t1");
    expect(seen.headers["x-api-key"]).toBe("k-123");
    expect(seen.headers["x-fixed"]).toBe("literal");
    expect(seen.headers.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(seen.headers["content-length"]).toBe("7");
    expect(seen.headers["x-request-id"]).toMatch(/^req_/);
    for (const name of ["authorization", "cookie", "proxy-authorization", "x-forwarded-for", "x-forwarded-custom-not-listed", "forwarded", "x-not-listed"]) {
      expect(seen.headers[name], name).toBeUndefined();
    }
    expect(seen.body.toString()).toBe('{"a":1}');
  });

  it("drops a header the client names in Connection even when it is allowlisted", async () => {
    await send(h.url("api", "/h"), { headers: { ...auth, connection: "x-trace", "x-trace": "t2" } });
    expect(last().headers["x-trace"]).toBeUndefined();
  });
});

describe("response header policy", () => {
  it("strips hop-by-hop and Connection-listed headers and Set-Cookie, adds X-Request-Id", async () => {
    const r = await send(h.url("api", "/r"), { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers["x-upstream"]).toBe("kept");
    expect(r.headers["x-upstream-private"]).toBeUndefined();
    expect(r.headers["alt-svc"]).toBeUndefined();
    expect(r.headers["set-cookie"]).toBeUndefined();
    expect(r.headers.connection).not.toContain("x-upstream-private");
    expect(r.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("passes Set-Cookie when the endpoint allows it", async () => {
    const r = await send(h.url("cookies", "/r"), { headers: auth });
    expect(r.headers["set-cookie"]).toEqual(["session=abc; HttpOnly", "other=1"]);
  });

  it("returns a redirect to the client instead of following it", async () => {
    const seen = upstream.seen.length;
    const r = await send(h.url("api", "/redirect"), { headers: auth });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe("http://169.254.169.254/latest/meta-data/");
    expect(upstream.seen.length).toBe(seen + 1);
  });
});
