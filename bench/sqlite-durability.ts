// `node cli/run-ts.mjs bench/sqlite-durability.ts [--quick]`: what each write class of the SQLite
// store costs on this machine's disk, in one run: a token write with synchronous=FULL plus the
// checkpoint (what the store does), the same with FULL alone and with NORMAL (what it would cost
// without the guarantees), an audit record alone and in batches, a rate-limit check, and the
// integrity check on open (bounded, and whole-file) against the number of audit records. Prints a table; no assertions.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../functions/adapters/sqlite/open-sqlite-store.ts";
import type { AuditRecord } from "../functions/ports/audit-sink.ts";
import { hashToken, mintToken, newTokenId } from "../functions/tokens/token-format.ts";

const quick = process.argv.includes("--quick");
const folder = mkdtempSync(join(tmpdir(), "gatehouse-sqlite-bench-"));
const rows: Array<[string, string, string]> = [];

function measure(name: string, count: number, run: (i: number) => void | Promise<void>): Promise<void> {
  return (async () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await run(i);
    const us = Number(process.hrtime.bigint() - started) / 1000 / count;
    rows.push([name, `${us.toFixed(1)} µs`, `${Math.round(1e6 / us)}/s`]);
  })();
}

function record(i: number): AuditRecord {
  return {
    requestId: `req_${i}_${Math.random().toString(36).slice(2)}`,
    time: Date.now(),
    event: "proxy.request",
    gatewayId: "0b7c1c1e-3f4a-5b6c-8d7e-9f0a1b2c3d4e",
    gatewayName: "bench",
    endpoint: "items",
    tokenId: "tok_benchbenchbe",
    tokenLabel: "bench",
    method: "GET",
    path: "/api/x/proxy/items/42",
    status: 200,
    upstreamStatus: 200,
    decision: "OK",
    reason: null,
    durationMs: 1,
    upstreamDurationMs: 1,
    bytesIn: 0,
    bytesOut: 1024,
    clientAddress: "127.0.0.1",
    userAgent: "wrk",
    revision: "rev_bench",
  };
}

try {
  const store = openSqliteStore(join(folder, "data"));
  const tokenRecord = (gatewayId: string) => ({
    id: newTokenId(),
    hash: hashToken(mintToken()),
    gatewayId,
    label: "bench",
    endpoints: null,
    createdAt: Date.now(),
    expiresAt: null,
    revokedAt: null,
  });
  const tokens = quick ? 200 : 1000;
  await measure("token create: FULL + checkpoint (the store)", tokens, () => store.tokens.create(tokenRecord("g1")));
  const insert = (level: "FULL" | "NORMAL") => () => {
    const r = tokenRecord("g2");
    store.database.db.exec(`PRAGMA synchronous=${level}`);
    store.database.db
      .prepare("INSERT INTO tokens (hash, id, gateway_id, label, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(r.hash, r.id, r.gatewayId, r.label, r.createdAt);
  };
  await measure("token create: FULL, no checkpoint", tokens, insert("FULL"));
  await measure("token create: NORMAL (not durable on power loss)", tokens, insert("NORMAL"));
  // Reset the connection's cached level, which the raw PRAGMAs above bypassed.
  store.database.write("fast", () => undefined);

  const audits = quick ? 5000 : 20000;
  await measure("audit write, one per event-loop turn (NORMAL)", audits, (i) => store.audit.write(record(i)));
  await measure("audit write, 32 per turn (NORMAL, one commit)", audits / 32, (i) =>
    Promise.all(Array.from({ length: 32 }, (_, j) => store.audit.write(record(i * 32 + j)))).then(() => undefined),
  );
  const bucket = { key: "0b7c1c1e-3f4a-5b6c-8d7e-9f0a1b2c3d4e/items/tok_benchbenchbe", scope: "token" as const, perMinute: 1e9, perHour: 1e9 };
  await measure("rate limit consume, 2 windows, one per turn (NORMAL)", audits, () =>
    store.rateLimiter.consume({ now: Date.now(), buckets: [bucket] }).then(() => undefined),
  );
  await measure("rate limit consume, 2 windows, 32 per turn (one commit)", audits / 32, () =>
    Promise.all(Array.from({ length: 32 }, () => store.rateLimiter.consume({ now: Date.now(), buckets: [bucket] }))).then(() => undefined),
  );
  const count = Number((store.database.db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number }).n);
  store.close();
  const opened = process.hrtime.bigint();
  const reopened = openSqliteStore(join(folder, "data"));
  rows.push([`open (${reopened.checked} check), ${count} audit records`, `${(Number(process.hrtime.bigint() - opened) / 1e6).toFixed(1)} ms`, ""]);
  // What an open after an unclean end adds: the whole file checked, audit log included.
  const full = process.hrtime.bigint();
  reopened.database.db.prepare("PRAGMA quick_check").all();
  rows.push([`  whole-file quick_check (after an unclean end), ${count}`, `${(Number(process.hrtime.bigint() - full) / 1e6).toFixed(1)} ms`, ""]);
  reopened.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}

console.log(`SQLite store write classes (${quick ? "quick" : "full"}), ${tmpdir()} on this machine's disk:`);
for (const [name, each, rate] of rows) console.log(`  ${name.padEnd(58)} ${each.padStart(12)} ${rate.padStart(10)}`);
