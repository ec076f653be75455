import type { RateLimitRequest, RateLimitResult, RateLimiter, WindowState } from "../../ports/rate-limiter.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "../shared/windows.ts";

type Window = keyof typeof WINDOW_MS;
const WINDOWS: readonly Window[] = ["minute", "hour"];

/**
 * RateLimiter in a Map. Check and count happen in one synchronous step, which is atomic in a
 * single process. Counters of past windows are dropped as new windows start.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  private lastSweep = 0;

  async consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const { now } = request;
    this.sweep(now);
    // Plain loops and parallel arrays: this runs on every admitted request.
    const counters: string[] = [];
    const used: number[] = [];
    const windows: WindowState[] = [];
    let retryAfterSeconds = 0;
    for (const bucket of request.buckets) {
      for (const window of WINDOWS) {
        const limit = window === "minute" ? bucket.perMinute : bucket.perHour;
        if (limit === undefined) continue;
        const counter = `${bucket.key}|${window}|${windowStart(now, window)}`;
        const count = this.counts.get(counter) ?? 0;
        const resetSeconds = secondsToReset(now, window);
        if (count >= limit && resetSeconds > retryAfterSeconds) retryAfterSeconds = resetSeconds;
        counters.push(counter);
        used.push(count);
        windows.push({ scope: bucket.scope, window, limit, remaining: 0, resetSeconds });
      }
    }
    const full = windows.some((w, i) => used[i]! >= w.limit);
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i]!;
      if (full) {
        w.remaining = Math.max(0, w.limit - used[i]!);
      } else {
        this.counts.set(counters[i]!, used[i]! + 1);
        w.remaining = w.limit - used[i]! - 1;
      }
    }
    return full ? { allowed: false, windows, retryAfterSeconds } : { allowed: true, windows };
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    return this.counts.get(`${key}|${window}|${windowStart(now, window)}`) ?? 0;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < WINDOW_MS.minute) return;
    this.lastSweep = now;
    for (const counter of this.counts.keys()) {
      const [, window, start] = counter.split("|") as [string, Window, string];
      if (Number(start) + WINDOW_MS[window] <= now) this.counts.delete(counter);
    }
  }
}
