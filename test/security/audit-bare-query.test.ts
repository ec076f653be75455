import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 8: `?sk_live_LEAKED_KEY_123&api_key=hidden` was stored with the bare item intact.

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream();
  h = await startHarness({
    name: "acme",
    endpoints: { api: { upstream: `${upstream.url}/v1`, methods: ["GET"], auditQueryValues: ["page", "debug"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

describe("audit query redaction", () => {
  it("redacts bare items too, keeps listed names bare or not, and forwards the query untouched", async () => {
    const before = h.ports.audit.records.length;
    const query = "sk_live_LEAKED_KEY_123&api_key=hidden&page=2&debug&&x%3Dy";
    const res = await send(h.url("api", `/items?${query}`), { headers: auth });
    expect(res.status).toBe(200);
    expect(upstream.seen.at(-1)!.url).toBe(`/v1/items?${query}`);
    const record = (await h.audit(before + 1)).at(-1)!;
    expect(record.path).toBe(`/api/${h.gateway.id}/proxy/api/items?[redacted]&api_key=[redacted]&page=2&debug&&[redacted]`);
    expect(record.path).not.toContain("LEAKED");
  });

  it("redacts bare items on refused requests too", async () => {
    const before = h.ports.audit.records.length;
    const res = await send(h.url("api", "/items?sk_live_LEAKED_KEY_123"));
    expect(res.status).toBe(401);
    const record = (await h.audit(before + 1)).at(-1)!;
    expect(record.path).toBe(`/api/${h.gateway.id}/proxy/api/items?[redacted]`);
  });
});
