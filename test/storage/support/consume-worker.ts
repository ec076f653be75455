// A process that opens the SQLite store of a folder, says {"ready":true}, waits for a line on
// standard input (so every worker starts at once), then makes `count` rate-limit checks against
// one bucket, 16 at a time, and prints {"allowed": n}. Used by sqlite-rate-limit-processes.test.ts.
import { once } from "node:events";
import { openSqliteStore } from "../../../functions/adapters/sqlite/open-sqlite-store.ts";

const [dataDir, count, cap, now] = process.argv.slice(2);
const store = openSqliteStore(dataDir!);
const bucket = { key: "gw/ep/tok_shared", scope: "token" as const, perHour: Number(cap) };
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await once(process.stdin, "data");
let allowed = 0;
for (let done = 0; done < Number(count); done += 16) {
  const results = await Promise.all(Array.from({ length: 16 }, () => store.rateLimiter.consume({ now: Number(now), buckets: [bucket] })));
  allowed += results.filter((r) => r.allowed).length;
}
store.close();
process.stdout.write(`${JSON.stringify({ allowed })}\n`);
process.exit(0);
