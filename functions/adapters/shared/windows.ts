/** Clock-aligned fixed windows shared by every RateLimiter adapter, so they agree to the second. */
export const WINDOW_MS = { minute: 60_000, hour: 3_600_000 } as const;

/** The start of the window of kind `window` containing `now`. */
export function windowStart(now: number, window: keyof typeof WINDOW_MS): number {
  return Math.floor(now / WINDOW_MS[window]) * WINDOW_MS[window];
}

/** Whole seconds until the window containing `now` ends (at least 1). */
export function secondsToReset(now: number, window: keyof typeof WINDOW_MS): number {
  return Math.max(1, Math.ceil((windowStart(now, window) + WINDOW_MS[window] - now) / 1000));
}
