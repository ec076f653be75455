import type { RateLimitRequest, RateLimitResult, RateLimiter } from "../../ports/rate-limiter.ts";
import { countedWindows, settleWindows } from "../shared/counted-windows.ts";
import { windowStart, WINDOW_MS } from "../shared/windows.ts";
import type { StatementSync } from "node:sqlite";
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
  // Point look-ups by primary key, one per counter: cheaper than one `IN (…)` read (SQLite plans
  // the list as a temporary b-tree) and no SQL text built per request. Rows come back as arrays.
  private readonly read: StatementSync;
  private readonly add: StatementSync;

  constructor(private readonly database: SqliteDatabase) {
    this.read = database.db.prepare("SELECT count FROM rate_counters WHERE counter = ?");
    this.read.setReturnArrays(true);
    this.add = database.db.prepare(
      "INSERT INTO rate_counters (counter, count, expires_at) VALUES (?, 1, ?) ON CONFLICT (counter) DO UPDATE SET count = count + 1",
    );
  }

  consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const { now } = request;
    const { counters, expiries, windows } = countedWindows(request);
    if (windows.length === 0) return Promise.resolve({ allowed: true, windows });
    return this.database.batched((): RateLimitResult => {
      if (now - this.lastSweep >= WINDOW_MS.minute) {
        this.lastSweep = now;
        this.database.statement("DELETE FROM rate_counters WHERE expires_at <= ?").run(now);
      }
      const used = counters.map((counter) => Number((this.read.get(counter) as unknown as [number] | undefined)?.[0] ?? 0));
      const settled = settleWindows(windows, used);
      if (settled.refused) return { allowed: false, windows, retryAfterSeconds: settled.retryAfterSeconds };
      for (let i = 0; i < counters.length; i++) this.add.run(counters[i]!, expiries[i]!);
      return { allowed: true, windows };
    });
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    const row = this.database.statement("SELECT count FROM rate_counters WHERE counter = ?").get(`${key}|${window}|${windowStart(now, window)}`) as
      | { count: number }
      | undefined;
    return Number(row?.count ?? 0);
  }
}
