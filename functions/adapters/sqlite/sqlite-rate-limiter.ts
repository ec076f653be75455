import type { RateLimitRequest, RateLimitResult, RateLimiter } from "../../ports/rate-limiter.ts";
import { countedWindows, settleWindows, type CountedWindows } from "../shared/counted-windows.ts";
import { windowStart, WINDOW_MS } from "../shared/windows.ts";
import type { StatementSync } from "node:sqlite";
import type { SqliteDatabase } from "./sqlite-database.ts";
import { TurnBatch } from "./turn-batch.ts";

type Window = keyof typeof WINDOW_MS;

/** One request's check, as the turn's call decides it. */
interface Check {
  now: number;
  counted: CountedWindows;
}

/**
 * RateLimiter on the `rate_counters` table, one row per bucket, window and window start (the
 * memory limiter's counter names). The checks of one event-loop turn are decided together, one
 * after the other, inside the turn's ONE write transaction (`SqliteDatabase.batched`): SQLite's
 * write lock serialises it against every other process on the file, so no concurrency admits
 * more than a cap, and a refused request counts nothing. Within that transaction nothing but
 * this code can change a counter, so each counter is read once per turn, the turn's admissions
 * are counted in memory and written as one `count + n` per counter before the commit: under
 * load, a turn carries many requests of the same token, and their checks then cost two
 * statements per counter rather than two per request. Whatever fails, the transaction rolls back
 * and every check of the turn rejects. Rows of past windows are deleted at most once a minute.
 */
export class SqliteRateLimiter implements RateLimiter {
  private lastSweep = 0;
  private readonly turn: TurnBatch<Check, RateLimitResult>;
  // Point look-ups by primary key, one per counter: cheaper than one `IN (…)` read (SQLite plans
  // the list as a temporary b-tree) and no SQL text built per request. Rows come back as arrays.
  private readonly read: StatementSync;
  private readonly add: StatementSync;

  constructor(private readonly database: SqliteDatabase) {
    this.read = database.db.prepare("SELECT count FROM rate_counters WHERE counter = ?");
    this.read.setReturnArrays(true);
    this.add = database.db.prepare(
      "INSERT INTO rate_counters (counter, count, expires_at) VALUES (?, ?, ?) ON CONFLICT (counter) DO UPDATE SET count = count + excluded.count",
    );
    this.turn = new TurnBatch(database, (checks) => this.decide(checks));
  }

  consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const counted = countedWindows(request);
    if (counted.windows.length === 0) return Promise.resolve({ allowed: true, windows: counted.windows });
    return this.turn.add({ now: request.now, counted });
  }

  /** The count in the current window (tests read counters through this). */
  count(key: string, window: Window, now: number): number {
    const row = this.database.statement("SELECT count FROM rate_counters WHERE counter = ?").get(`${key}|${window}|${windowStart(now, window)}`) as
      | { count: number }
      | undefined;
    return Number(row?.count ?? 0);
  }

  /** The decisions, in the order the checks were made; the admitted ones counted before it returns. */
  private decide(checks: readonly Check[]): RateLimitResult[] {
    const { now } = checks[0]!;
    if (now - this.lastSweep >= WINDOW_MS.minute) {
      this.lastSweep = now;
      this.database.statement("DELETE FROM rate_counters WHERE expires_at <= ?").run(now);
    }
    // Counter → [count now, counted by this turn, window end].
    const counts = new Map<string, [number, number, number]>();
    const results = checks.map(({ counted: { counters, expiries, windows } }): RateLimitResult => {
      const entries = counters.map((counter, i) => {
        let entry = counts.get(counter);
        if (entry === undefined) {
          entry = [Number((this.read.get(counter) as unknown as [number] | undefined)?.[0] ?? 0), 0, expiries[i]!];
          counts.set(counter, entry);
        }
        return entry;
      });
      const settled = settleWindows(
        windows,
        entries.map((entry) => entry[0]),
      );
      if (settled.refused) return { allowed: false, windows, retryAfterSeconds: settled.retryAfterSeconds };
      for (const entry of entries) entry[0]++, entry[1]++;
      return { allowed: true, windows };
    });
    for (const [counter, [, added, expiresAt]] of counts) if (added > 0) this.add.run(counter, added, expiresAt);
    return results;
  }
}
