import { describe, expect, it } from "vitest";
import { defineGateway, secret } from "gatehouse-gateway";
import type { AuditRecord } from "../../functions/ports/audit-sink.ts";
import type { PushSource } from "../../functions/ports/http-types.ts";
import { auditedBody } from "../../functions/engine/audited-body.ts";
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

describe("a scrubbed body on the front door's piping path", () => {
  it("hands its push source over with the filter, and the taker's chunks come out masked", () => {
    let scrubbed = 0;
    const filter = new SecretScrubber([KEY]).filter(() => scrubbed++);
    const body = auditedBody(pushSource([bytes(`a ${KEY.slice(0, 5)}`), bytes(`${KEY.slice(5)} b`)]), filter, async () => {});
    const taken = body.takeSource!();
    expect(taken?.filter).toBe(filter);
    const out: string[] = [];
    let ended = 0;
    taken!.source.pushTo({
      onChunk: (chunk) => out.push(text(taken!.filter!.push(chunk)) ?? "") > 0,
      onEnd: () => ended++,
      onError: (error) => {
        throw error;
      },
    });
    out.push(text(taken!.filter!.end()) ?? "");
    expect(out.join("")).toBe(`a ${"*".repeat(KEY.length)} b`);
    expect(ended).toBe(1);
    expect(scrubbed).toBe(1);
    // Taken once: the iterator and a second taker get nothing.
    expect(body.takeSource!()).toBeNull();
    return expect(body[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("a body that is not a push source is not taken: its iterator applies the filter", async () => {
    const filter = new SecretScrubber([KEY]).filter(() => {});
    const body = auditedBody(
      (async function* () {
        yield bytes(`x ${KEY}`);
      })(),
      filter,
      async () => {},
    );
    expect(body.takeSource!()).toBeNull();
    const out: string[] = [];
    for await (const chunk of body) out.push(text(chunk)!);
    expect(out.join("")).toBe(`x ${"*".repeat(KEY.length)}`);
  });
});

/** A push source over fixed chunks, delivered at once (as the upstream client's body when all of it has arrived). */
function pushSource(chunks: Uint8Array[]): PushSource {
  return {
    pushTo(sink) {
      for (const chunk of chunks) sink.onChunk(chunk);
      sink.onEnd();
    },
    resume() {},
    destroy() {},
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
  };
}

describe("the scrubber per endpoint", () => {
  const gateway = defineGateway({
    name: "scrub",
    endpoints: { api: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject: { "x-key": secret("K") } } } },
  });
  const endpoint = gateway.endpoints.api!;
  const audit = () => ({}) as AuditRecord;

  it("masks the secret it is given now, not the one it was first built for (an OAuth token refreshed)", () => {
    const first = { echo: `old-token-value-1` };
    scrubResponse(endpoint, ["old-token-value-1"], first, audit());
    expect(first.echo).toBe("*".repeat(17));
    const second = { echo: "old-token-value-1 new-token-value-2" };
    const record = audit();
    scrubResponse(endpoint, ["new-token-value-2"], second, record);
    expect(second.echo).toBe(`old-token-value-1 ${"*".repeat(17)}`);
    expect(record.secretsScrubbed).toBe(true);
  });
});
