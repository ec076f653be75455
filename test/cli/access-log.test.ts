import { afterEach, describe, expect, it, vi } from "vitest";
import { bufferedLines, devAccessLine, serveAccessLine } from "../../cli/access-log.ts";
import { isoTime, jsonLog } from "../../functions/ports/log.ts";
import type { AccessLine } from "../../functions/front-doors/node/node-server.ts";

// The access log of `gatehouse dev` and `serve` is written through a small buffer: one write per
// batch, not per request, flushed after a short delay, when it fills, and at shutdown.

afterEach(() => vi.useRealTimers());

describe("bufferedLines", () => {
  it("writes nothing per line; flush() writes every line at once, newline-terminated, and then nothing more", () => {
    const writes: string[] = [];
    const lines = bufferedLines((text) => writes.push(text));
    lines.write("one");
    lines.write("two");
    expect(writes).toEqual([]);
    lines.flush();
    expect(writes).toEqual(["one\ntwo\n"]);
    lines.flush();
    expect(writes).toHaveLength(1);
  });

  it("writes at once when the buffer reaches maxBytes", () => {
    const writes: string[] = [];
    const lines = bufferedLines((text) => writes.push(text), { maxBytes: 10 });
    lines.write("12345");
    expect(writes).toEqual([]);
    lines.write("6789");
    expect(writes).toEqual(["12345\n6789\n"]);
  });

  it("flushes flushMs after the first buffered line, one timer per batch (fake timers, no waiting)", () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const lines = bufferedLines((text) => writes.push(text), { flushMs: 100 });
    lines.write("a");
    vi.advanceTimersByTime(50);
    lines.write("b");
    vi.advanceTimersByTime(49);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(["a\nb\n"]);
    expect(vi.getTimerCount()).toBe(0);
    lines.write("c");
    expect(vi.getTimerCount()).toBe(1);
    lines.flush();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("devAccessLine", () => {
  it("is time, client, method, path, status, duration and request id", () => {
    const line = devAccessLine({ method: "GET", path: "/api/x/proxy/a/b", status: 200, durationMs: 3, requestId: "req_1", clientAddress: "127.0.0.1" });
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 GET \/api\/x\/proxy\/a\/b 200 3ms req_1$/);
  });
});

describe("isoTime", () => {
  it("writes what Date.prototype.toISOString writes, at second and millisecond edges and across the years", () => {
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 59_999, 60_000, 951_782_400_000, 1_764_806_399_999, 1_764_806_400_000, 253_402_300_799_999];
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 48271) % 2147483647;
      times.push(Math.floor((seed / 2147483647) * 253_402_300_799_999));
      times.push(1_764_806_400_000 + i); // consecutive milliseconds, as a loaded server asks
    }
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it("leaves times it cannot prefix to Date: before 1970, past 9999, fractions of a millisecond", () => {
    for (const t of [-1, -1001, -62_135_596_800_000, 253_402_300_800_000, 8.64e15, 1_764_806_400_000.5]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });
});

describe("serveAccessLine", () => {
  const line = (overrides: Partial<AccessLine> = {}): AccessLine => ({
    method: "GET",
    path: "/api/83cd7cce-5ac5-597e-9ba2-92df3b171a9b/proxy/echo/",
    status: 200,
    durationMs: 3,
    requestId: "req_5fc8722c8c9841e5915f2b9cf93e188e",
    clientAddress: "127.0.0.1",
    ...overrides,
  });
  /** What the generic structured log writes for the same line at the same time. */
  const viaJsonLog = (a: AccessLine, now: number): string => {
    const lines: string[] = [];
    vi.useFakeTimers({ now, toFake: ["Date"] });
    jsonLog((l) => lines.push(l)).info("request", a);
    vi.useRealTimers();
    return lines[0]!;
  };

  it("is byte for byte the line jsonLog writes, for plain values and for every value that needs escaping", () => {
    const now = 1_764_806_400_123;
    const cases: AccessLine[] = [
      line(),
      line({ path: '/a"b', method: "POST" }),
      line({ path: "/back\\slash" }),
      line({ path: "/tab\there/\u0000/\u001f/\u007f" }),
      line({ path: "/caf\u00e9/\u2028/\u{1f600}" }),
      line({ path: "/lone\ud800surrogate" }),
      line({ path: "" }),
      line({ clientAddress: "::ffff:127.0.0.1", status: 504, durationMs: 300_001 }),
      line({ durationMs: Number.NaN, status: Number.POSITIVE_INFINITY }),
      line({ durationMs: -0 }),
    ];
    for (const a of cases) {
      const written = serveAccessLine(a, now);
      expect(written).toBe(viaJsonLog(a, now));
      expect(JSON.parse(written)).toMatchObject({ time: "2025-12-04T00:00:00.123Z", level: "info", event: "request", path: a.path });
    }
  });
});
