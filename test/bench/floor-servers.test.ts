import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { rateLimitBuckets } from "../../functions/engine/enforce-rate-limit.ts";
import { windowStart } from "../../functions/adapters/shared/windows.ts";
import { BENCH_SLUG, benchGateway } from "../../bench/servers/bench-gateway.ts";
import { REPO } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// bench/floors.ts compares gatehouse with two servers that claim to do part of its work: the
// door-only server (gatehouse's Node door and upstream client, no policy) and the SQLite floor
// (the same server given a data folder, which adds the store's two commits per request). Their
// figures mean something only if they do what they claim, so here they run as the bench runs them, against a real upstream.

const BODY = JSON.stringify({ id: 42, pad: "x".repeat(1000) });
let upstream: UpstreamStub;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(BODY)) });
    res.end(BODY);
  });
  dir = await mkdtemp(join(tmpdir(), "gatehouse-floor-test-"));
});
afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts a bench server as bench/floors.ts does (under tsx here) and resolves its port. */
async function startBenchServer(script: string, args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; base: string }> {
  const child = spawn(process.execPath, [join(REPO, "cli/run-ts.mjs"), join(REPO, "bench/servers", script), ...args], {
    cwd: REPO,
  }) as ChildProcessWithoutNullStreams;
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  for (let i = 0; i < 400 && !stdout.includes("\n") && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
  const { port } = JSON.parse(stdout.split("\n")[0]!) as { port: number };
  return { child, base: `http://127.0.0.1:${port}` };
}

/** The audit table's row count, read as another process reads the store (read-only, beside the server). */
function auditRows(data: string): number {
  const db = new DatabaseSync(join(data, "gatehouse.db"), { readOnly: true });
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

describe("the bench's floor servers", () => {
  it("door only: proxies to the upstream's item through gatehouse's door and client, every byte", async () => {
    const seenBefore = upstream.seen.length;
    const { child, base } = await startBenchServer("door-only-server.ts", [upstream.url]);
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${base}/anything`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/json");
        expect(await response.text()).toBe(BODY);
      }
    } finally {
      await stop(child);
    }
    expect(upstream.seen.slice(seenBefore).map((r) => r.url)).toEqual(["/v1/items/42", "/v1/items/42", "/v1/items/42"]);
  });

  it("SQLite floor: each request counts in the store's rate-limit counters and leaves one audit record with the bytes sent", async () => {
    const data = join(dir, "floor");
    const { child, base } = await startBenchServer("door-only-server.ts", [upstream.url, data]);
    const started = Date.now();
    let ended = started;
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${base}/v1/items/42`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe(BODY);
        // As gatehouse promises: the record is committed before the response's last bytes go out,
        // so another process reading the file sees it as soon as the body is complete.
        expect(auditRows(data)).toBe(i + 1);
      }
    } finally {
      ended = Date.now();
      await stop(child);
    }
    const store = openSqliteStore(data);
    try {
      const records = await store.audit.query({});
      expect(records).toHaveLength(3);
      for (const record of records) {
        expect(record.status).toBe(200);
        expect(record.bytesOut).toBe(Buffer.byteLength(BODY));
        expect(record.endpoint).toBe(BENCH_SLUG);
      }
      const gateway = benchGateway(upstream.url);
      const [bucket] = rateLimitBuckets(gateway, gateway.endpoints[BENCH_SLUG]!, "tok_benchfloor0");
      // Counted in the hour window of each request's arrival: the test's start, or the next hour if one began meanwhile.
      const hours = windowStart(started, "hour") === windowStart(ended, "hour") ? [started] : [started, ended];
      expect(hours.reduce((sum, at) => sum + store.rateLimiter.count(bucket!.key, "hour", at), 0)).toBe(3);
    } finally {
      store.close();
    }
  });
});
