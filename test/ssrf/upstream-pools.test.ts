import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { UpstreamError, type UpstreamRequest } from "../../functions/ports/upstream-client.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// The upstream client asks one undici Pool per origin directly (no Agent lookup per request),
// one set of pools per private-network allowance: an allowance's pooled connection never serves
// an endpoint without it.

let upstream: UpstreamStub;
let client: UndiciUpstreamClient;

beforeAll(async () => {
  upstream = await startUpstream();
  client = new UndiciUpstreamClient();
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

const request = (allowPrivate: readonly string[]): UpstreamRequest => ({
  origin: upstream.url,
  path: "/v1/x",
  method: "GET",
  headers: {},
  body: null,
  timeoutMs: 5000,
  allowPrivate,
});

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of body) out += Buffer.from(chunk).toString();
  return out;
}

describe("one pool per origin, per allowance", () => {
  it("reuses the allowed endpoint's connection, and still refuses the same origin to an endpoint without the allowance", async () => {
    const allowed = ["127.0.0.1/32"];
    for (let i = 0; i < 3; i++) {
      const response = await client.send(request(allowed));
      expect(response.status).toBe(200);
      expect(await text(response.body)).toBe('{"ok":true}');
    }
    const opened = upstream.connections();
    // Had it shared the allowed pool, its idle keep-alive connection would have answered 200.
    const refused = await client.send(request([])).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ kind: "unreachable", details: { guard: { rule: "ipv4:loopback", addresses: ["127.0.0.1"] } } });
    // A different array with the same ranges shares the allowance's pools (the key is the sorted list).
    const again = await client.send(request(["127.0.0.1/32"]));
    await text(again.body);
    expect(again.status).toBe(200);
    expect(upstream.connections()).toBe(opened);
    // The refused request never reached the upstream.
    expect(upstream.seen).toHaveLength(4);
  });

  it("answers after close() with new connections", async () => {
    const opened = upstream.connections();
    await client.close();
    const response = await client.send(request(["127.0.0.1/32"]));
    expect(response.status).toBe(200);
    await text(response.body);
    expect(upstream.connections()).toBe(opened + 1);
  });
});
