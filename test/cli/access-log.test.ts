import { afterEach, describe, expect, it, vi } from "vitest";
import { bufferedLines, devAccessLine } from "../../cli/access-log.ts";

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
