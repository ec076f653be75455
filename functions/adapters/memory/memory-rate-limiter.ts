import type { RateLimitRequest, RateLimitResult, RateLimiter, WindowState } from "../../ports/rate-limiter.ts";
import { settleWindows } from "../shared/counted-windows.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "../shared/windows.ts";

type Window = keyof typeof WINDOW_MS;

const WINDOWS = ["minute", "hour"] as const;

/** One window's count, and the start of the window it counts. */
interface Counter {
  start: number;
  count: number;
}

/**
 * RateLimiter in a Map of buckets, each holding one counter per window (the durable limiters
 * name one row per bucket, window and start instead; here that string would be built and hashed
 * twice per request for nothing). Check and count happen in one synchronous step, which is
 * atomic in a single process, and are answered at once (no promise: this is on every request's
 * path). A counter whose window has ended restarts when the bucket is next used, and buckets
 * whose every window has ended are dropped at most once a minute.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Record<Window, Counter>>();
  private lastSweep = 0;

  consume(request: RateLimitRequest): RateLimitResult {
    const { now } = request;
    this.sweep(now);
    const counters: Counter[] = [];
    const windows: WindowState[] = [];
    const used: number[] = [];
    // Bucket order, minute before hour: the order the other limiters and the RateLimit fields use.
    for (const bucket of request.buckets) {
      let counts = this.buckets.get(bucket.key);
      if (counts === undefined) {
        counts = { minute: { start: 0, count: 0 }, hour: { start: 0, count: 0 } };
        this.buckets.set(bucket.key, counts);
      }
      for (const window of WINDOWS) {
        const limit = window === "minute" ? bucket.perMinute : bucket.perHour;
        if (limit === undefined) continue;
        const counter = counts[window];
        const start = windowStart(now, window);
        if (counter.start !== start) (counter.start = start), (counter.count = 0);
        counters.push(counter);
        used.push(counter.count);
        windows.push({ scope: bucket.scope, window, limit, remaining: 0, resetSeconds: secondsToReset(now, window) });
      }
    }
    const { refused, retryAfterSeconds } = settleWindows(windows, used);
    if (refused) return { allowed: false, windows, retryAfterSeconds };
    for (const counter of counters) counter.count++;
    return { allowed: true, windows };
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    const counter = this.buckets.get(key)?.[window];
    return counter !== undefined && counter.start === windowStart(now, window) ? counter.count : 0;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS.minute) return;
    this.lastSweep = now;
    for (const [key, counts] of this.buckets) {
      if (WINDOWS.every((window) => counts[window].start + WINDOW_MS[window] <= now)) this.buckets.delete(key);
    }
  }
}
