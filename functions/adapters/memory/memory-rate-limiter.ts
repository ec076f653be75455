import type { RateLimitRequest, RateLimitResult, RateLimiter, WindowState } from "../../ports/rate-limiter.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "../shared/windows.ts";

type Window = keyof typeof WINDOW_MS;

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
    const checks: Array<{ counter: string; state: WindowState; used: number }> = [];
    for (const bucket of request.buckets) {
      for (const [window, limit] of [["minute", bucket.perMinute], ["hour", bucket.perHour]] as Array<[Window, number | undefined]>) {
        if (limit === undefined) continue;
        const counter = `${bucket.key}|${window}|${windowStart(now, window)}`;
        const used = this.counts.get(counter) ?? 0;
        checks.push({ counter, used, state: { scope: bucket.scope, window, limit, remaining: 0, resetSeconds: secondsToReset(now, window) } });
      }
    }
    const full = checks.filter((c) => c.used >= c.state.limit);
    if (full.length > 0) {
      for (const c of checks) c.state.remaining = Math.max(0, c.state.limit - c.used);
      return { allowed: false, windows: checks.map((c) => c.state), retryAfterSeconds: Math.max(...full.map((c) => c.state.resetSeconds)) };
    }
    for (const c of checks) {
      this.counts.set(c.counter, c.used + 1);
      c.state.remaining = c.state.limit - c.used - 1;
    }
    return { allowed: true, windows: checks.map((c) => c.state) };
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
