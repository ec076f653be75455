import { describe, expect, it } from "vitest";
import { defineGateway, secret } from "gatehouse-gateway";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import { scrubResponse } from "../../functions/engine/scrub-response.ts";
import { SecretScrubber } from "../../functions/engine/scrub-secrets.ts";

// The scrubber holds back only a tail that could be the start of a secret, so a clean chunk
// goes out whole and at once; and the scrubber compiled per endpoint follows a changed secret.

const KEY = "sk_live_held_tail_42";
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunk: Uint8Array | null) => (chunk === null ? null : new TextDecoder().decode(chunk));

describe("what the scrubber holds back between chunks", () => {
  const scrubber = new SecretScrubber([KEY, "_held_other_secret"]);

  it("a chunk that ends in no secret's first bytes is sent whole, the same bytes, nothing held", () => {
    const chunk = bytes('{"items":[1,2,3]}');
    const out = scrubber.step(new Uint8Array(0), chunk);
    expect(out.send).toBe(chunk);
    expect(out.held.byteLength).toBe(0);
    expect(out.scrubbed).toBe(false);
  });

  it("a chunk ending in the start of a secret holds exactly that start back", () => {
    const out = scrubber.step(new Uint8Array(0), bytes(`abc sk_live_h`));
    expect(text(out.send)).toBe("abc ");
    expect(text(out.held)).toBe("sk_live_h");
    const next = scrubber.step(out.held, bytes(`${KEY.slice(9)} end`));
    expect(text(next.send)).toBe(`${"*".repeat(KEY.length)} end`);
    expect(next.scrubbed).toBe(true);
  });

  it("the longest such tail wins when two secrets could start there", () => {
    // "sk_live_held" starts KEY, and its own tail "_held" starts the other secret.
    const out = scrubber.step(new Uint8Array(0), bytes("x sk_live_held"));
    expect(text(out.send)).toBe("x ");
    expect(text(out.held)).toBe("sk_live_held");
  });

  it("a chunk that is only the start of a secret is held whole, nothing sent yet", () => {
    const out = scrubber.step(new Uint8Array(0), bytes("sk_li"));
    expect(out.send).toBeNull();
    expect(text(out.held)).toBe("sk_li");
  });
});

describe("the scrubber per endpoint", () => {
  const gateway = defineGateway({
    name: "scrub",
    endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject: { "x-key": secret("K") } } } },
  });
  const endpoint = gateway.endpoints.api!;
  const audit = () => ({}) as AuditRecord;

  it("masks the secret it is given now, not the one it was first built for (an OAuth token refreshed)", () => {
    const first = { echo: `old-token-value-1` };
    scrubResponse(endpoint, ["old-token-value-1"], first, (async function* () {})(), audit());
    expect(first.echo).toBe("*".repeat(17));
    const second = { echo: "old-token-value-1 new-token-value-2" };
    const record = audit();
    scrubResponse(endpoint, ["new-token-value-2"], second, (async function* () {})(), record);
    expect(second.echo).toBe(`old-token-value-1 ${"*".repeat(17)}`);
    expect(record.secretsScrubbed).toBe(true);
  });
});
