import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";
import { TestClock } from "../../functions/adapters/memory/test-clock.ts";
import { mintToken } from "../../functions/tokens/token-format.ts";

let upstream: UpstreamStub;
let h: Harness;
const clock = new TestClock(Date.UTC(2026, 5, 1, 10, 0, 30));

beforeAll(async () => {
  upstream = await startUpstream();
  h = await startHarness(
    {
      name: "acme",
      endpoints: {
        api: { upstream: `${upstream.url}/v1`, methods: ["GET", "POST"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] },
        admin: { upstream: `${upstream.url}/admin`, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] },
      },
    },
    { clock },
  );
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

const problem = (r: { json: () => Record<string, unknown> }) => {
  const { requestId, ...rest } = r.json();
  expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
  return rest;
};

describe("routing", () => {
  it("404s an unknown gateway id and an unknown slug with problem+json", async () => {
    const unknownGateway = await send(`${h.base}/api/00000000-0000-4000-8000-000000000000/proxy/api/x`);
    expect(unknownGateway.status).toBe(404);
    expect(unknownGateway.headers["content-type"]).toBe("application/problem+json");
    expect(problem(unknownGateway)).toMatchObject({ code: "ROUTE_NOT_FOUND", status: 404 });
    const unknownSlug = await send(h.url("nope", "/x"));
    expect(unknownSlug.status).toBe(404);
    expect(unknownSlug.json().code).toBe("ROUTE_NOT_FOUND");
    expect(unknownSlug.headers["x-request-id"]).toBe(unknownSlug.json().requestId);
    const outside = await send(`${h.base}/health`);
    expect(outside.status).toBe(404);
    expect(upstream.seen).toHaveLength(0);
  });

  it("forwards the tail under the upstream path", async () => {
    const { token } = await h.token();
    const r = await send(h.url("api", "/items/42"), { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"ok":true}');
    expect(upstream.seen.at(-1)!.url).toBe("/v1/items/42");
    const bare = await send(h.url("api"), { headers: { authorization: `Bearer ${token}` } });
    expect(bare.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe("/v1");
  });
});

describe("client tokens", () => {
  it("gives missing, malformed, forged, unknown, expired and revoked tokens one identical 401; the audit keeps why", async () => {
    const expired = await h.token({ expiresAt: clock.now() - 1 });
    const revoked = await h.token();
    await h.ports.tokens.revoke(revoked.id, clock.now() - 1);
    const valid = mintToken();
    const forged = `${valid.slice(0, -1)}${valid.endsWith("A") ? "B" : "A"}`;
    const attempts: Array<[string, Record<string, string>]> = [
      ["missing", {}],
      ["malformed", { authorization: "Bearer not-a-token" }],
      ["malformed", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }],
      ["malformed", { authorization: `Bearer ${forged}` }],
      ["unknown", { authorization: `Bearer ${mintToken()}` }],
      ["expired", { authorization: `Bearer ${expired.token}` }],
      ["revoked", { authorization: `Bearer ${revoked.token}` }],
    ];
    const before = h.ports.audit.records.length;
    const seenBefore = upstream.seen.length;
    const bodies = new Set<string>();
    for (const [, headers] of attempts) {
      const r = await send(h.url("api", "/x"), { headers });
      expect(r.status).toBe(401);
      expect(r.headers["www-authenticate"]).toBe('Bearer realm="gatehouse"');
      bodies.add(JSON.stringify(problem(r)));
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toBe(
      JSON.stringify({
        type: "https://gatehouse.dev/problems/token-invalid",
        title: "Unauthorized",
        status: 401,
        detail: "A valid Gatehouse token is required (Authorization: Bearer <token>).",
        code: "TOKEN_INVALID",
      }),
    );
    const records = (await h.audit(before + attempts.length)).slice(before);
    expect(records.map((r) => r.reason)).toEqual([
      "missing token",
      "malformed token",
      "malformed token",
      "malformed token",
      "unknown token",
      "expired token",
      "revoked token",
    ]);
    expect(records.every((r) => r.decision === "TOKEN_INVALID" && r.status === 401)).toBe(true);
    expect(records[5]!.tokenId).toBe(expired.id);
    expect(upstream.seen.length).toBe(seenBefore);
  });

  it("403s a valid token that is not scoped to the endpoint", async () => {
    const scoped = await h.token({ endpoints: ["admin"] });
    const refused = await send(h.url("api", "/x"), { headers: { authorization: `Bearer ${scoped.token}` } });
    expect(refused.status).toBe(403);
    expect(refused.json().code).toBe("TOKEN_NOT_SCOPED");
    const allowed = await send(h.url("admin", "/x"), { headers: { authorization: `bearer ${scoped.token}` } });
    expect(allowed.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe("/admin/x");
  });

  it("refuses a token of another gateway as unknown", async () => {
    const other = await h.token({ gatewayId: "11111111-1111-4111-8111-111111111111" });
    const before = h.ports.audit.records.length;
    const r = await send(h.url("api"), { headers: { authorization: `Bearer ${other.token}` } });
    expect(r.status).toBe(401);
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.reason).toBe("token belongs to another gateway");
    expect(record!.tokenId).toBeNull();
  });
});

describe("methods", () => {
  it("405s a method outside the allowlist with Allow, before anything is forwarded", async () => {
    const { token } = await h.token();
    const seen = upstream.seen.length;
    const r = await send(h.url("api", "/x"), { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("GET, POST");
    expect(r.json().code).toBe("METHOD_NOT_ALLOWED");
    expect(upstream.seen.length).toBe(seen);
  });
});
