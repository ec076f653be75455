import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailed } from "./conditional-write.ts";
import type { RateLimitBucket, RateLimitRequest, RateLimitResult, RateLimiter, WindowState } from "../../ports/rate-limiter.ts";
import { secondsToReset, windowStart, WINDOW_MS } from "../shared/windows.ts";
import type { DocumentSender } from "./dynamo-client.ts";
import { RATE_LIMITS_TABLE } from "../../contracts/tables.ts";

type Window = keyof typeof WINDOW_MS;

/** Where the counters are. */
export interface DynamoRateLimiterOptions {
  client: DocumentSender;
  tableName: string;
}

/** One counted window of one bucket: where its count lives and its cap. */
interface Counter {
  attribute: string;
  limit: number;
  state: WindowState;
}

/** Conditional-write races (a minute attribute cleared by a writer whose clock is ahead) retried before refusing. */
const MAX_ATTEMPTS = 3;

/**
 * RateLimiter on the rate-limits table: every window of every bucket of a request is checked and
 * counted by ONE conditional UpdateItem, so DynamoDB's per-item atomicity gives exact caps at any
 * concurrency, and a refused request (failed condition) writes nothing.
 *
 * Item layout, one item per "home" bucket and clock hour, `pk` = `<home key>#<hour start ms>`:
 * - the home is the endpoint-wide bucket when the request has one, else its first bucket (the
 *   per-token bucket), so with the default per-token caps every token has its own items and
 *   tokens never contend with each other;
 * - each bucket counted in the item has `<prefix>h` (the hour count) and `<prefix>m<minute>` (the
 *   count of that minute of the hour); the home's prefix is empty, another bucket's is its key +
 *   `|`. Each write REMOVEs the earlier minutes' attributes of its buckets, so an item holds about
 *   two counters per bucket and stays small (a write costs about 1 WCU per 1 KB of item).
 *
 * Why not one item per bucket and a TransactWriteItems: transactions cost double and dynalite (the
 * tests' stand-in for DynamoDB) does not implement them; with an endpoint-wide cap every request of the
 * endpoint touches the endpoint's item either way. That item is one partition key, so an
 * endpoint-wide cap sustains up to ~1000 WCU/s, roughly 1000 / (item KB) requests per second.
 * Changing whether an endpoint has an endpoint-wide cap moves its token counters to another item,
 * which restarts their counts for the current hour.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(private readonly options: DynamoRateLimiterOptions) {}

  async consume(request: RateLimitRequest): Promise<RateLimitResult> {
    const { now } = request;
    const counters = countersOf(request);
    if (counters.length === 0) return { allowed: true, windows: [] };
    const key = { [RATE_LIMITS_TABLE.hashKey]: itemKey(request.buckets, now) };

    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":one": 1, ":ttl": Math.floor((windowStart(now, "hour") + 2 * WINDOW_MS.hour) / 1000) };
    const conditions: string[] = [];
    const adds: string[] = [];
    const removes: string[] = [];
    counters.forEach((c, i) => {
      names[`#c${i}`] = c.attribute;
      values[`:cap${i}`] = c.limit;
      conditions.push(`(attribute_not_exists(#c${i}) OR #c${i} < :cap${i})`);
      adds.push(`#c${i} :one`);
    });
    for (const prefix of minutePrefixes(request)) {
      for (let m = 0; m < minuteOfHour(now); m++) {
        const ref = `#r${removes.length}`;
        names[ref] = `${prefix}m${m}`;
        removes.push(ref);
      }
    }
    names["#ttl"] = RATE_LIMITS_TABLE.ttlAttribute;

    for (let attempt = 1; ; attempt++) {
      try {
        const { Attributes } = await this.options.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: key,
            UpdateExpression: `SET #ttl = :ttl ADD ${adds.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "UPDATED_NEW",
          }),
        );
        for (const c of counters) c.state.remaining = Math.max(0, c.limit - numberOf(Attributes?.[c.attribute]));
        return { allowed: true, windows: counters.map((c) => c.state) };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      // Refused: read the counts to say which window is full and for how long.
      const { Item } = await this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }));
      const full: Counter[] = [];
      for (const c of counters) {
        const used = numberOf(Item?.[c.attribute]);
        c.state.remaining = Math.max(0, c.limit - used);
        if (used >= c.limit) full.push(c);
      }
      if (full.length > 0) {
        return { allowed: false, windows: counters.map((c) => c.state), retryAfterSeconds: Math.max(...full.map((c) => c.state.resetSeconds)) };
      }
      // Nothing full any more: the item changed between the write and the read. Try again.
      if (attempt >= MAX_ATTEMPTS) {
        return { allowed: false, windows: counters.map((c) => c.state), retryAfterSeconds: 1 };
      }
    }
  }

  /** The stored count of `key`'s window at `now`, counted as `request` would count it (tests read counters through this). */
  async count(request: RateLimitRequest, key: string, window: Window): Promise<number> {
    const counter = countersOf(request).find((c) => c.attribute === attributeName(request.buckets, key, window, request.now));
    if (!counter) return 0;
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: { [RATE_LIMITS_TABLE.hashKey]: itemKey(request.buckets, request.now) }, ConsistentRead: true }),
    );
    return numberOf(Item?.[counter.attribute]);
  }
}

/** The bucket whose item counts the request: the endpoint-wide one if present. */
function home(buckets: readonly RateLimitBucket[]): RateLimitBucket {
  return buckets.find((b) => b.scope === "endpoint") ?? buckets[0]!;
}

function itemKey(buckets: readonly RateLimitBucket[], now: number): string {
  return `${home(buckets).key}#${windowStart(now, "hour")}`;
}

function prefixOf(buckets: readonly RateLimitBucket[], key: string): string {
  return key === home(buckets).key ? "" : `${key}|`;
}

function minuteOfHour(now: number): number {
  return Math.floor((now - windowStart(now, "hour")) / WINDOW_MS.minute);
}

function attributeName(buckets: readonly RateLimitBucket[], key: string, window: Window, now: number): string {
  return `${prefixOf(buckets, key)}${window === "hour" ? "h" : `m${minuteOfHour(now)}`}`;
}

/** The windows with a cap, in the order the memory limiter reports them (bucket, then minute, hour). */
function countersOf(request: RateLimitRequest): Counter[] {
  const counters: Counter[] = [];
  for (const bucket of request.buckets) {
    for (const [window, limit] of [
      ["minute", bucket.perMinute],
      ["hour", bucket.perHour],
    ] as Array<[Window, number | undefined]>) {
      if (limit === undefined) continue;
      counters.push({
        attribute: attributeName(request.buckets, bucket.key, window, request.now),
        limit,
        state: { scope: bucket.scope, window, limit, remaining: 0, resetSeconds: secondsToReset(request.now, window) },
      });
    }
  }
  return counters;
}

function minutePrefixes(request: RateLimitRequest): string[] {
  return request.buckets.filter((b) => b.perMinute !== undefined).map((b) => prefixOf(request.buckets, b.key));
}

/** A counter value from a document (number) or raw (`{ N }`) item; absent is 0. */
function numberOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (value && typeof value === "object" && "N" in value) return Number((value as { N: string }).N);
  return 0;
}
