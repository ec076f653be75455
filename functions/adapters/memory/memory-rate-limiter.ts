import type { RateLimitRequest, RateLimitResult, RateLimiter, WindowState } from "../../ports/rate-limiter.ts";
import { settleWindows } from "../shared/counted-windows.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "../shared/windows.ts";

type Window = keyof typeof WINDOW_MS;

/** One bucket's counts in the minute and the hour it was last counted in. */
interface BucketCounts {
  minuteStart: number;
  minute: number;
  hourStart: number;
  hour: number;
}

/**
 * RateLimiter in a Map of buckets, each holding its current minute's and hour's counts (the
 * durable limiters name one row per bucket, window and start instead; here that string would
 * be built and hashed twice per request for nothing). Check and count happen in one
 * synchronous step, which is atomic in a single process. A count of a window that has ended is
 * reset when the bucket is next used, and buckets idle for a whole hour are dropped.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketCounts>();
  private lastSweep = 0;

  async consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const { now } = request;
    this.sweep(now);
    const minuteStart = windowStart(now, "minute");
    const hourStart = windowStart(now, "hour");
    const counts: BucketCounts[] = [];
    const windows: WindowState[] = [];
    const used: number[] = [];
    for (const bucket of request.buckets) {
      let count = this.buckets.get(bucket.key);
      if (count === undefined) {
        count = { minuteStart, minute: 0, hourStart, hour: 0 };
        this.buckets.set(bucket.key, count);
      }
      if (count.minuteStart !== minuteStart) (count.minuteStart = minuteStart), (count.minute = 0);
      if (count.hourStart !== hourStart) (count.hourStart = hourStart), (count.hour = 0);
      counts.push(count);
      if (bucket.perMinute !== undefined) {
        windows.push({ scope: bucket.scope, window: "minute", limit: bucket.perMinute, remaining: 0, resetSeconds: secondsToReset(now, "minute") });
        used.push(count.minute);
      }
      if (bucket.perHour !== undefined) {
        windows.push({ scope: bucket.scope, window: "hour", limit: bucket.perHour, remaining: 0, resetSeconds: secondsToReset(now, "hour") });
        used.push(count.hour);
      }
    }
    const { refused, retryAfterSeconds } = settleWindows(windows, used);
    if (refused) return { allowed: false, windows, retryAfterSeconds };
    for (let i = 0; i < counts.length; i++) {
      const bucket = request.buckets[i]!;
      if (bucket.perMinute !== undefined) counts[i]!.minute++;
      if (bucket.perHour !== undefined) counts[i]!.hour++;
    }
    return { allowed: true, windows };
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    const count = this.buckets.get(key);
    if (count === undefined) return 0;
    return window === "minute"
      ? count.minuteStart === windowStart(now, "minute")
        ? count.minute
        : 0
      : count.hourStart === windowStart(now, "hour")
        ? count.hour
        : 0;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS.minute) return;
    this.lastSweep = now;
    // A bucket's minute never outlasts its hour: once the hour is over, nothing it holds is read again.
    for (const [key, count] of this.buckets) if (count.hourStart + WINDOW_MS.hour <= now) this.buckets.delete(key);
  }
}
