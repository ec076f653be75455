/**
 * Clock: the only source of "now" for the engine and adapters, so tests drive time.
 * Contract: `now()` returns milliseconds since the epoch; it never throws.
 */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
