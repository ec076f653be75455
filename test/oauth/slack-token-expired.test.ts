import { afterEach, describe, expect, it } from "vitest";
import { defineGateway, oauth } from "../../schema/index.ts";
import type { Engine } from "../../functions/engine/create-engine.ts";
import { MemoryTokenStore } from "../../functions/adapters/memory/memory-token-store.ts";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import { sealTokens } from "../../functions/oauth/token-vault.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { harnessEngine, presetHarness, type PresetHarness, type StandInReply } from "./support/provider-harness.ts";
import { client, standInForFile } from "./support/stand-in-suite.ts";

const standIn = await standInForFile();

/**
 * A Slack stand-in as Slack documents it: Web API methods answer HTTP 200 with `ok:false` and an
 * error code for a bad token (`token_expired` for an expired rotating token), and
 * `oauth.v2.access` rotates the token with a single-use refresh token.
 */
describe("Slack's HTTP 200 ok:false token_expired is an expired token: refreshed and replayed once, like a 401", () => {
  let h: PresetHarness;
  let engine: Engine;
  let upstream: UndiciUpstreamClient;
  let clientToken: string;
  let apiCalls: Array<{ authorization: string | undefined; body: string }>;
  let refreshes: number;
  afterEach(async () => {
    await upstream?.close();
    await h?.close();
  });

  async function setUp(api: (authorization: string | undefined) => StandInReply, refresh: { token: string | null } = { token: "xoxe-1-r1" }) {
    apiCalls = [];
    refreshes = 0;
    standIn.route("POST /api/chat.postMessage", (request) => {
      apiCalls.push({ authorization: request.headers.authorization, body: request.body });
      return api(request.headers.authorization);
    });
    standIn.route("POST /api/oauth.v2.access", (request) => {
      refreshes++;
      return request.fields.refresh_token === "xoxe-1-r1"
        ? { json: { ok: true, access_token: "xoxe.xoxb-new", token_type: "bot", refresh_token: "xoxe-1-r2", expires_in: 43200, scope: "chat:write" } }
        : { json: { ok: false, error: "invalid_refresh_token" } };
    });
    const gateway = defineGateway({
      name: "slack-api",
      connections: { conn: oauth.slack({ ...client, scopes: ["chat:write"] }) },
      endpoints: {
        slack: {
          upstream: `${standIn.url}/api`,
          methods: ["POST"],
          connection: "conn",
          headers: { forward: ["content-type"] },
          unsafeAllowPrivateNetworks: ["127.0.0.1/32"],
        },
      },
    });
    h = presetHarness(gateway, { slack: { tokenUrl: `${standIn.url}/api/oauth.v2.access` } }, "CLIENT_SECRET");
    const now = h.clock.now();
    await h.store.put(
      {
        gatewayId: gateway.id,
        connection: "conn",
        provider: "slack",
        version: 1,
        status: "connected",
        sealedTokens: await sealTokens(h.box, gateway.id, "conn", {
          accessToken: "xoxe.xoxb-old",
          refreshToken: refresh.token,
          lifetimeMs: 43_200_000,
          refreshTokenExpiresAt: null,
        }),
        scopes: ["chat:write"],
        expiresAt: refresh.token ? now + 6 * 3600_000 : null,
        refreshable: refresh.token !== null,
        lastRefreshAt: null,
        lastError: null,
        updatedAt: now,
        connectedAt: now,
        identity: null,
      },
      null,
    );
    const tokens = new MemoryTokenStore();
    clientToken = (await issueToken(tokens, { gatewayId: gateway.id, label: "bot", now })).token;
    upstream = new UndiciUpstreamClient();
    engine = harnessEngine(h, tokens, upstream);
  }

  const message = '{"channel":"C01","text":"hello"}';
  async function post(): Promise<{ status: number; body: string; headers: Record<string, string | string[]> }> {
    const response = await engine.handle({
      method: "POST",
      path: `/api/${h.gateway.id}/proxy/slack/chat.postMessage`,
      query: "",
      headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json", "content-length": String(Buffer.byteLength(message)) },
      body: Buffer.from(message),
      clientAddress: "127.0.0.1",
    });
    const chunks: Uint8Array[] = [];
    if (response.body instanceof Uint8Array) chunks.push(response.body);
    else if (response.body) for await (const chunk of response.body) chunks.push(chunk);
    return { status: response.status, body: Buffer.concat(chunks).toString("utf8"), headers: response.headers };
  }

  it("refreshes once and replays the same request bytes with the new token", async () => {
    await setUp((authorization) =>
      authorization === "Bearer xoxe.xoxb-new" ? { json: { ok: true, channel: "C01", ts: "1.2" } } : { json: { ok: false, error: "token_expired" } },
    );
    const answer = await post();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, channel: "C01", ts: "1.2" });
    expect(apiCalls).toEqual([
      { authorization: "Bearer xoxe.xoxb-old", body: message },
      { authorization: "Bearer xoxe.xoxb-new", body: message },
    ]);
    expect(refreshes).toBe(1);
    expect(h.audit.records.map((r) => `${r.event}:${r.decision}`)).toEqual(["oauth.refresh:OK", "proxy.request:OK"]);
  });

  it("replays only once: a second token_expired goes back to the client as Slack sent it", async () => {
    await setUp(() => ({ json: { ok: false, error: "token_expired" } }));
    const answer = await post();
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"ok":false,"error":"token_expired"}');
    expect(apiCalls.map((c) => c.authorization)).toEqual(["Bearer xoxe.xoxb-old", "Bearer xoxe.xoxb-new"]);
    expect(refreshes).toBe(1);
  });

  it("invalid_auth on a token that cannot be refreshed (no rotation): no replay, Slack's answer returned byte for byte", async () => {
    await setUp(() => ({ json: { ok: false, error: "invalid_auth" } }), { token: null });
    const answer = await post();
    expect(answer.body).toBe('{"ok":false,"error":"invalid_auth"}');
    expect(apiCalls).toHaveLength(1);
    expect(refreshes).toBe(0);
  });

  it("other ok:false errors, non-JSON bodies, compressed bodies and large bodies are not retried and reach the client unchanged", async () => {
    const large = JSON.stringify({ ok: false, error: "token_expired", padding: "x".repeat(20_000) });
    const cases: Array<[string, StandInReply, (body: string, headers: Record<string, string | string[]>) => void]> = [
      ["channel_not_found", { json: { ok: false, error: "channel_not_found" } }, (body) => expect(body).toBe('{"ok":false,"error":"channel_not_found"}')],
      ["text/plain", { text: '{"ok":false,"error":"token_expired"}' }, (body) => expect(body).toBe('{"ok":false,"error":"token_expired"}')],
      // A coded body is never decoded to be inspected (here the coding is a label on plain JSON, so
      // inspecting it anyway would be seen as a replay).
      [
        "content-encoding",
        { headers: { "content-type": "application/json", "content-encoding": "br" }, text: '{"ok":false,"error":"token_expired"}' },
        (_body, headers) => expect(headers["content-encoding"]).toBe("br"),
      ],
      ["over 8 KiB, declared", { json: JSON.parse(large) }, (body) => expect(body).toBe(large)],
    ];
    for (const [index, [why, reply, check]] of cases.entries()) {
      if (index > 0) {
        await upstream.close();
        await h.close();
      }
      await setUp(() => reply);
      const answer = await post();
      expect([why, answer.status]).toEqual([why, 200]);
      check(answer.body, answer.headers);
      expect([why, apiCalls.length, refreshes]).toEqual([why, 1, 0]);
    }
  });

  it("a large chunked JSON answer (no Content-Length) is read up to the bound and then streamed on, every byte delivered", async () => {
    const big = JSON.stringify({ ok: true, messages: Array.from({ length: 2000 }, (_, i) => ({ ts: String(i), text: "m".repeat(20) })) });
    await setUp(() => ({ headers: { "transfer-encoding": "chunked" }, text: big }));
    standIn.route("POST /api/chat.postMessage", (request) => {
      apiCalls.push({ authorization: request.headers.authorization, body: request.body });
      return { headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, text: big };
    });
    const answer = await post();
    expect(answer.body.length).toBe(big.length);
    expect(answer.body).toBe(big);
    expect(apiCalls).toHaveLength(1);
    expect(refreshes).toBe(0);
  });
});
