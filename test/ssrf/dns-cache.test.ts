import { describe, expect, it } from "vitest";
import { createDnsCache, type LookupAddress } from "../../functions/adapters/upstream/ssrf/index.ts";

/** A lookup that answers `answers(name, callNumber)` and counts calls per name. */
function countingLookup(answers: (name: string, call: number) => LookupAddress[]) {
  const calls = new Map<string, number>();
  return {
    calls,
    lookup: async (name: string) => {
      const call = (calls.get(name) ?? 0) + 1;
      calls.set(name, call);
      return answers(name, call);
    },
  };
}

describe("createDnsCache", () => {
  it("reuses an answer for the fixed lifetime when the resolver reports no TTL", async () => {
    let now = 1_000;
    const source = countingLookup((_name, call) => [{ address: `192.0.2.${call}`, family: 4 }]);
    const cache = createDnsCache({ lookup: source.lookup, maxTtlMs: 30_000, now: () => now });
    expect(await cache.lookup("a.example")).toEqual([{ address: "192.0.2.1", family: 4 }]);
    now += 29_999;
    expect(await cache.lookup("A.example")).toEqual([{ address: "192.0.2.1", family: 4 }]);
    now += 1;
    expect(await cache.lookup("a.example")).toEqual([{ address: "192.0.2.2", family: 4 }]);
    expect(source.calls.get("a.example")).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it("honours the smallest TTL in the answer, capped at maxTtlMs", async () => {
    let now = 0;
    const source = countingLookup((name) =>
      name === "short.example"
        ? [
            { address: "192.0.2.1", family: 4, ttl: 60 },
            { address: "192.0.2.2", family: 4, ttl: 5 },
          ]
        : [{ address: "192.0.2.3", family: 4, ttl: 3600 }],
    );
    const cache = createDnsCache({ lookup: source.lookup, maxTtlMs: 30_000, now: () => now });
    await cache.lookup("short.example");
    await cache.lookup("long.example");
    now = 4_999;
    await cache.lookup("short.example");
    now = 5_000;
    await cache.lookup("short.example");
    expect(source.calls.get("short.example")).toBe(2);
    now = 29_999;
    await cache.lookup("long.example");
    expect(source.calls.get("long.example")).toBe(1);
    now = 30_000;
    await cache.lookup("long.example");
    expect(source.calls.get("long.example")).toBe(2);
  });

  it("does not cache a zero TTL or a failure", async () => {
    let fail = true;
    const source = countingLookup(() => {
      if (fail) throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
      return [{ address: "192.0.2.1", family: 4, ttl: 0 }];
    });
    const cache = createDnsCache({ lookup: source.lookup });
    await expect(cache.lookup("x.example")).rejects.toMatchObject({ code: "ENOTFOUND" });
    fail = false;
    await cache.lookup("x.example");
    await cache.lookup("x.example");
    expect(source.calls.get("x.example")).toBe(3);
    expect(cache.size).toBe(0);
  });

  it("is bounded and drops the least recently used name", async () => {
    const source = countingLookup((name) => [{ address: "192.0.2.1", family: 4, ttl: 60 }].map((a) => ({ ...a, name })));
    const cache = createDnsCache({ lookup: source.lookup, maxEntries: 2 });
    await cache.lookup("a.example");
    await cache.lookup("b.example");
    await cache.lookup("a.example"); // a is now the most recent
    await cache.lookup("c.example"); // evicts b
    expect(cache.size).toBe(2);
    await cache.lookup("a.example");
    await cache.lookup("b.example");
    expect(source.calls.get("a.example")).toBe(1);
    expect(source.calls.get("b.example")).toBe(2);
  });

  it("shares one query between concurrent lookups of a name", async () => {
    let release: (answers: LookupAddress[]) => void = () => {};
    let calls = 0;
    const cache = createDnsCache({
      lookup: () => {
        calls += 1;
        return new Promise((resolve) => (release = resolve));
      },
    });
    const both = Promise.all([cache.lookup("a.example"), cache.lookup("a.example")]);
    release([{ address: "192.0.2.1", family: 4 }]);
    expect(await both).toEqual([[{ address: "192.0.2.1", family: 4 }], [{ address: "192.0.2.1", family: 4 }]]);
    expect(calls).toBe(1);
  });

  it("hands out copies, so a caller cannot poison the cache", async () => {
    const cache = createDnsCache({ lookup: async () => [{ address: "192.0.2.1", family: 4 }] });
    const first = await cache.lookup("a.example");
    first[0]!.address = "127.0.0.1";
    expect(await cache.lookup("a.example")).toEqual([{ address: "192.0.2.1", family: 4 }]);
  });
});
