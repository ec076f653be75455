import type { RateLimitRequest, RateLimitResult, RateLimiter } from "../../ports/rate-limiter.ts";
import { countedWindows, settleWindows } from "../shared/counted-windows.ts";
import { windowStart, WINDOW_MS } from "../shared/windows.ts";
import type { SqliteDatabase } from "./sqlite-database.ts";

type Window = keyof typeof WINDOW_MS;

/**
 * RateLimiter on the `rate_counters` table, one row per bucket, window and window start (the
 * memory limiter's counter names). Every window of every bucket of a request is read and, only
 * if all have room, counted, inside ONE write transaction (the `fast` transaction of the turn,
 * `SqliteDatabase.batched`, where the checks of one turn run one after the other): SQLite's write
 * lock serialises it against every other process on the file, so no concurrency admits more than
 * a cap and a refused request writes nothing. Rows of past windows are deleted at most once a minute.
 */
export class SqliteRateLimiter implements RateLimiter {
  private lastSweep = 0;

  constructor(private readonly database: SqliteDatabase) {}

  async consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const { now } = request;
    const { counters, expiries, windows } = countedWindows(request);
    if (windows.length === 0) return { allowed: true, windows };
    // One read of every counter and one write of all of them: statements cost more than rows.
    const marks = counters.map(() => "?").join(", ");
    const read = this.database.statement(`SELECT counter, count FROM rate_counters WHERE counter IN (${marks})`);
    const add = this.database.statement(
      `INSERT INTO rate_counters (counter, count, expires_at) VALUES ${counters.map(() => "(?, 1, ?)").join(", ")} ON CONFLICT (counter) DO UPDATE SET count = count + 1`,
    );
    const verdict = await this.database.batched(() => {
      if (now - this.lastSweep >= WINDOW_MS.minute) {
        this.lastSweep = now;
        this.database.statement("DELETE FROM rate_counters WHERE expires_at <= ?").run(now);
      }
      const found = new Map<string, number>();
      for (const row of read.all(...counters) as Array<{ counter: string; count: number }>) found.set(row.counter, Number(row.count));
      const settled = settleWindows(
        windows,
        counters.map((counter) => found.get(counter) ?? 0),
      );
      if (!settled.refused) add.run(...counters.flatMap((counter, i) => [counter, expiries[i]!]));
      return settled;
    });
    return verdict.refused ? { allowed: false, windows, retryAfterSeconds: verdict.retryAfterSeconds } : { allowed: true, windows };
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    const row = this.database.statement("SELECT count FROM rate_counters WHERE counter = ?").get(`${key}|${window}|${windowStart(now, window)}`) as
      | { count: number }
      | undefined;
    return Number(row?.count ?? 0);
  }
}
