import type { RateLimitRequest, RateLimitResult, RateLimiter } from "../../ports/rate-limiter.ts";
import { countedWindows, settleWindows } from "../shared/counted-windows.ts";
import { windowStart, WINDOW_MS } from "../shared/windows.ts";

type Window = keyof typeof WINDOW_MS;

/**
 * RateLimiter in a Map. Check and count happen in one synchronous step, which is atomic in a
 * single process. Counters of past windows are dropped as new windows start.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  private lastSweep = 0;

  async consume(request: RateLimitRequest): Promise<RateLimitResult> {
    this.sweep(request.now);
    const { counters, windows } = countedWindows(request);
    const used = counters.map((counter) => this.counts.get(counter) ?? 0);
    const { refused, retryAfterSeconds } = settleWindows(windows, used);
    if (refused) return { allowed: false, windows, retryAfterSeconds };
    for (let i = 0; i < counters.length; i++) this.counts.set(counters[i]!, used[i]! + 1);
    return { allowed: true, windows };
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
