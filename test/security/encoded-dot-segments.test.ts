import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secret, type Method } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { startNginx, type TestNginx } from "../helpers/nginx.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 1: encoded separators must not climb out of the endpoint's base path behind a
// normalising proxy. The upstream is a real Debian nginx with a stock
// `location / { proxy_pass http://127.0.0.1:UP/; }`, which decodes the URI, resolves dot
// segments and sends the result on: `/v1/public/..%2f..%2fadmin` reaches the backend as `/admin`.

const KEY = "sk_test_injected_5f1c";
let backend: UpstreamStub;
let nginx: TestNginx;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  backend = await startUpstream();
  nginx = await startNginx(`location / { proxy_pass http://127.0.0.1:${backend.port}/; }`);
  const common = { methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], headers: { inject: { "x-api-key": secret("API_KEY") } } };
  h = await startHarness(
    {
      name: "acme",
      endpoints: {
        behindnginx: { ...common, upstream: `${nginx.url}/v1/public` },
        direct: { ...common, upstream: `${backend.url}/v1/public` },
      },
    },
    { secrets: { API_KEY: KEY } },
  );
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await nginx?.stop();
  await backend?.close();
});

const reachedAdmin = () => backend.seen.filter((s) => s.url.startsWith("/admin"));

describe("the nginx in front really normalises (so the refusals below are tested against something that would climb)", () => {
  it("nginx turns /v1/public/..%2f..%2fadmin into /admin at the backend", async () => {
    const before = backend.seen.length;
    const res = await send(`${nginx.url}/v1/public/..%2f..%2fadmin`);
    expect(res.status).toBe(200);
    expect(backend.seen.slice(before).map((s) => s.url)).toEqual(["/admin"]);
    backend.seen.splice(before); // the control request carried no key and is not the gateway's
  });
});

const climbing = [
  "..%2f..%2fadmin",
  "%2e%2e%2f%2e%2e%2fadmin",
  "..%5c..%5cadmin",
  "..;/..;/admin",
  "%252e%252e/%252e%252e/admin",
  "x/..%2f..%2f..%2fadmin",
  "%2E%2E%2F%2E%2E%2Fadmin",
  ".%2e/.%2e/admin",
  "..%252f..%252fadmin",
  "x/.%2fy",
  "a;/../../admin",
];

describe("encoded dot segments are refused before anything is sent", () => {
  it.each(climbing)("/%s through nginx: 400 BAD_PATH, nothing reaches the backend", async (tail) => {
    const before = backend.seen.length;
    const res = await send(h.url("behindnginx", `/${tail}`), { headers: auth });
    expect(res.status).toBe(400);
    expect(res.json().code).toBe("BAD_PATH");
    expect(backend.seen.length).toBe(before);
  });

  it.each(climbing)("/%s straight to the backend: 400 BAD_PATH too", async (tail) => {
    const before = backend.seen.length;
    const res = await send(h.url("direct", `/${tail}`), { headers: auth });
    expect(res.status).toBe(400);
    expect(backend.seen.length).toBe(before);
  });

  it("after every attempt, /admin was never reached and the injected key never went there", async () => {
    expect(reachedAdmin()).toEqual([]);
    expect(backend.seen.filter((s) => s.headers["x-api-key"] === KEY && !s.url.startsWith("/v1/public"))).toEqual([]);
  });
});

describe("legitimate encodings still pass byte for byte", () => {
  it.each([
    ["/projects/group%2Fproject", "/v1/public/projects/group%2Fproject"],
    ["/a%20b", "/v1/public/a%20b"],
    ["/files/report.v2.pdf", "/v1/public/files/report.v2.pdf"],
    ["/.well-known/thing", "/v1/public/.well-known/thing"],
    ["/a/.../b", "/v1/public/a/.../b"],
    ["/matrix;v=1/x", "/v1/public/matrix;v=1/x"],
    ["/100%25", "/v1/public/100%25"],
  ])("%s reaches the backend as %s with the key", async (tail, expected) => {
    const res = await send(h.url("direct", tail), { headers: auth });
    expect(res.status).toBe(200);
    expect(backend.seen.at(-1)!.url).toBe(expected);
    expect(backend.seen.at(-1)!.headers["x-api-key"]).toBe(KEY);
  });

  it("an encoded slash through nginx stays under /v1/public", async () => {
    const res = await send(h.url("behindnginx", "/projects/group%2Fproject"), { headers: auth });
    expect(res.status).toBe(200);
    expect(backend.seen.at(-1)!.url.startsWith("/v1/public/projects/group")).toBe(true);
  });
});
