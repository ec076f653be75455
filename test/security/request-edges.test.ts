import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, DefinitionError } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { rawClient } from "../helpers/raw-client.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 10: the small edges, decided (README "What a request goes through").

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream();
  h = await startHarness({
    name: "acme",
    endpoints: { api: { upstream: `${upstream.url}/v1`, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

/** One raw request; the status line and the body of the answer. */
async function raw(requestLine: string, headers: string[] = []): Promise<{ status: number; text: string }> {
  const client = await rawClient(h.base);
  try {
    client.write(`${requestLine}\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\n${headers.map((l) => `${l}\r\n`).join("")}Connection: close\r\n\r\n`);
    await client.closed;
    const text = client.received();
    return { status: Number(text.slice(9, 12)), text };
  } finally {
    client.close();
  }
}

// Built as a string: `new URL` would drop a fragment before it reached the wire.
const path = (tail: string) => `${new URL(h.url("api")).pathname}${tail}`;

describe("methods", () => {
  // Decided, not changed: HEAD is not implied by GET (an upstream may treat HEAD like GET, side
  // effects included; the allowlist says exactly what reaches it). This test pins the decision.
  it("HEAD is not implied by GET: 405 with Allow: GET, nothing forwarded", async () => {
    const before = upstream.seen.length;
    const res = await send(h.url("api", "/x"), { method: "HEAD", headers: auth });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET");
    expect(upstream.seen.length).toBe(before);
  });
});

describe("path and query bytes", () => {
  it("%00 in the query is refused like in the path (400 BAD_PATH), nothing forwarded", async () => {
    const before = upstream.seen.length;
    const res = await send(h.url("api", "/x?name=a%00b"), { headers: auth });
    expect(res.status).toBe(400);
    expect(res.json().code).toBe("BAD_PATH");
    expect(upstream.seen.length).toBe(before);
  });

  it.each([`/a#b`, `/a?x=1#frag`])("a raw # in the request target (%s) is refused, nothing forwarded", async (tail) => {
    const before = upstream.seen.length;
    const res = await raw(`GET ${path(tail)} HTTP/1.1`);
    expect(res.status).toBe(400);
    expect(upstream.seen.length).toBe(before);
  });

  it("an encoded %23 still passes byte for byte", async () => {
    const res = await send(h.url("api", "/a%23b"), { headers: auth });
    expect(res.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe("/v1/a%23b");
  });
});

describe("header count", () => {
  it("more than 2000 request header fields: 431, not silently truncated and forwarded", async () => {
    const before = upstream.seen.length;
    const res = await raw(
      `GET ${path("/x")} HTTP/1.1`,
      Array.from({ length: 2001 }, () => "a:"),
    );
    expect(res.status).toBe(431);
    expect(res.text).toContain('"code":"HEADERS_TOO_LARGE"');
    expect(upstream.seen.length).toBe(before);
  });

  it("2000 are still served", async () => {
    const res = await raw(
      `GET ${path("/x")} HTTP/1.1`,
      Array.from({ length: 1990 }, () => "a:"),
    );
    expect(res.status).toBe(200);
  });
});

describe("definitions", () => {
  it("a __proto__ slug in an object literal (which sets the prototype) is a definition error, not a vanished endpoint", () => {
    const endpoints = { __proto__: { upstream: "https://api.example.com", methods: ["GET"] }, ok: { upstream: "https://api.example.com", methods: ["GET"] } };
    let error: unknown;
    try {
      defineGateway({ name: "acme", endpoints } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).issues).toEqual([{ path: "endpoints.__proto__", message: expect.stringContaining("'__proto__' cannot be a slug") }]);
  });

  it("a __proto__ key from JSON (an own property) is refused as a slug too", () => {
    const endpoints = JSON.parse('{"__proto__": {"upstream": "https://api.example.com", "methods": ["GET"]}}') as Record<string, unknown>;
    expect(() => defineGateway({ name: "acme", endpoints } as never)).toThrow(DefinitionError);
  });
});
