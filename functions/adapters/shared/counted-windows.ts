import type { RateLimitRequest, WindowState } from "../../ports/rate-limiter.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "./windows.ts";

const WINDOWS = ["minute", "hour"] as const;

/** The windows a request is counted in, as parallel arrays (this runs on every admitted request). */
export interface CountedWindows {
  /** `<bucket key>|<minute|hour>|<window start ms>`: one counter per bucket, window and window start. */
  counters: string[];
  /** When each counter's window ends (epoch ms): after that it is never read again. */
  expiries: number[];
  /** The state reported for each counter; `remaining` is filled by {@link settleWindows}. */
  windows: WindowState[];
}

/** Every capped window of every bucket of the request, in bucket order, minute before hour. */
export function countedWindows(request: RateLimitRequest): CountedWindows {
  const { now } = request;
  const counted: CountedWindows = { counters: [], expiries: [], windows: [] };
  for (const bucket of request.buckets) {
    for (const window of WINDOWS) {
      const limit = window === "minute" ? bucket.perMinute : bucket.perHour;
      if (limit === undefined) continue;
      const start = windowStart(now, window);
      counted.counters.push(`${bucket.key}|${window}|${start}`);
      counted.expiries.push(start + WINDOW_MS[window]);
      counted.windows.push({ scope: bucket.scope, window, limit, remaining: 0, resetSeconds: secondsToReset(now, window) });
    }
  }
  return counted;
}

/**
 * The decision, given each window's count before this request: refused when any window is full
 * (then nothing may be counted, and `retryAfterSeconds` is the end of the latest full window),
 * else admitted (the caller counts one in every window). Fills each window's `remaining`.
 */
export function settleWindows(windows: WindowState[], used: readonly number[]): { refused: boolean; retryAfterSeconds: number } {
  const refused = windows.some((w, i) => used[i]! >= w.limit);
  let retryAfterSeconds = 0;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    if (!refused) {
      w.remaining = w.limit - used[i]! - 1;
      continue;
    }
    w.remaining = Math.max(0, w.limit - used[i]!);
    if (used[i]! >= w.limit && w.resetSeconds > retryAfterSeconds) retryAfterSeconds = w.resetSeconds;
  }
  return { refused, retryAfterSeconds };
}
