// `node cli/run-ts.mjs bench/sqlite-turn-cost.ts [commit] [rounds=10]`: what the SQLite store costs
// one request, in one process with no network: a rate-limit check and an audit record, made N at a
// time in one event-loop turn (N = 1, 4, 8, 16, 32; under load a turn carries many requests),
// through the store's own adapters on a store opened as `gatehouse serve` opens it. Prints CPU µs
// (user + system, the WAL writes and the checkpoint thread included) per request. Given a commit,
// that commit's adapters run too (checked out with `git worktree` under .tmp/, removed after), each
// side on its own store, in alternating rounds: on a shared machine both see the same noise.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { openSqliteStore } from "../functions/adapters/sqlite/open-sqlite-store.ts";
import { median } from "./micro/measure.ts";
import { checkoutCommit, type CommitWorktree } from "./process/commit-worktree.ts";
import { auditRecord } from "../test/contract/audit-sink-contract.ts";

const [commit, roundsArg = "10"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const PER_TURN = [1, 4, 8, 16, 32] as const;
const REQUESTS = 8192;
const buckets = [{ key: "gw/items/tok_bench", scope: "token" as const, perMinute: 1e9, perHour: 1e9 }];

type Store = Pick<ReturnType<typeof openSqliteStore>, "rateLimiter" | "audit" | "close">;
const work = mkdtempSync(join(tmpdir(), "gatehouse-turn-cost-"));
const sides: Array<[string, Store]> = [["working tree", openSqliteStore(join(work, "now"), { backgroundCheckpoints: true })]];
let checkout: CommitWorktree | null = null;
try {
  if (commit) {
    checkout = checkoutCommit(commit, "turn-cost");
    const earlier = (await import(pathToFileURL(join(checkout.tree, "functions/adapters/sqlite/open-sqlite-store.ts")).href)) as {
      openSqliteStore: typeof openSqliteStore;
    };
    sides.unshift([checkout.sha, earlier.openSqliteStore(join(work, "before"), { backgroundCheckpoints: true })]);
  }
  const record = auditRecord();
  /** CPU µs per request of `requests` requests made `perTurn` at a time. */
  const run = async (store: Store, perTurn: number): Promise<number> => {
    const cpu = process.cpuUsage();
    for (let done = 0; done < REQUESTS; done += perTurn) {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < perTurn; i++) {
        const now = Date.now();
        calls.push(store.rateLimiter.consume({ now, buckets }), store.audit.write({ ...record, requestId: `req_${done + i}`, time: now }));
      }
      await Promise.all(calls);
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / REQUESTS;
  };
  for (const [, store] of sides) await run(store, 8); // warm-up: JIT, the WAL's first pages
  console.log(`SQLite store, CPU µs per request (a rate-limit check and an audit record), ${rounds} alternating rounds of ${REQUESTS} requests (medians):`);
  for (const perTurn of PER_TURN) {
    const samples = sides.map((): number[] => []);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
      for (const i of order) samples[i]!.push(await run(sides[i]![1], perTurn));
    }
    console.log(`  ${String(perTurn).padStart(2)} a turn: ${sides.map(([label], i) => `${label} ${median(samples[i]!).toFixed(1)} µs`).join(", ")}`);
  }
} finally {
  for (const [, store] of sides) store.close();
  rmSync(work, { recursive: true, force: true });
  checkout?.remove();
}
