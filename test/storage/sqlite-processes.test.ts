import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_FILE_NAME } from "../../functions/adapters/sqlite/open-sqlite-store.ts";
import { send } from "../helpers/send.ts";
import { boundedLoad, REPO, runCli, startServe, type ServeProcess } from "../helpers/serve-process.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

/** Requests in flight at once: the load is bounded, the machine is shared. */
const WORKERS = 4;
const PER_HOUR = 1_000_000;

let dir: string;
let upstream: UpstreamStub;
let definition: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  await mkdir(join(REPO, ".gatehouse"), { recursive: true });
  dir = await mkdtemp(join(REPO, ".gatehouse", "processes-"));
  // `/chunked/…` answers without a Content-Length (the client sees the end at the last chunk);
  // everything else with one (the client sees the end at the last byte of the body).
  upstream = await startUpstream((req, res) => {
    if (req.url?.includes("/chunked/")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"ok":');
      res.end("true}");
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": "11" });
      res.end('{"ok":true}');
    }
  });
  definition = join(dir, "gateway.ts");
  await writeFile(
    definition,
    `import { defineGateway } from "gatehouse-gateway";
export default defineGateway({ name: "proctest", endpoints: { api: { upstream: "${upstream.url}", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"], rateLimit: { perHour: ${PER_HOUR} } }, free: { upstream: "${upstream.url}", methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } });\n`,
  );
});
afterAll(async () => {
  for (const serve of running) if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

async function serveOn(data: string, extra: string[] = []): Promise<{ serve: ServeProcess; gatewayId: string }> {
  const serve = await startServe([definition, "--data", data, "--port", "0", "--unsafe-allow-private", "127.0.0.1/32", ...extra]);
  running.push(serve);
  const started = serve.lines().find((l) => l.event === "serve.started");
  if (!started) throw new Error(`serve did not start: ${serve.stderr()}`);
  return { serve, gatewayId: (started.gateways as Array<{ id: string }>)[0]!.id };
}

async function createToken(data: string): Promise<{ token: string; id: string }> {
  const created = await runCli(["token", "create", "--gateway", "proctest", "--data", data, "--json"]);
  expect(created.code).toBe(0);
  return JSON.parse(created.stdout) as { token: string; id: string };
}

async function auditOf(data: string): Promise<Array<{ requestId: string; status: number }>> {
  const audit = await runCli(["audit", "--gateway", "proctest", "--data", data, "--json", "--limit", "1000000"]);
  expect(audit.code).toBe(0);
  return JSON.parse(audit.stdout) as Array<{ requestId: string; status: number }>;
}

describe("two processes on one SQLite file", () => {
  it("a `token revoke` in another process takes effect within the token cache time while the server is under load; nothing is lost", {
    timeout: 120_000,
  }, async () => {
    const data = join(dir, "revoke");
    const { serve, gatewayId } = await serveOn(data, ["--token-cache-seconds", "1"]);
    const { token, id } = await createToken(data);
    const load = boundedLoad(`${serve.base}/api/${gatewayId}/proxy/api/x`, token, WORKERS);
    // Let the load get going, then revoke from another process.
    await load.until((r) => r.responses.length >= 20);
    const revokeStarted = Date.now();
    const revoked = await runCli(["token", "revoke", id, "--data", data]);
    const revokeReturned = Date.now();
    expect(revoked.code).toBe(0);
    // Past the 1 s token cache (plus a margin), until enough requests were sent to judge.
    const sentLate = (r: { sentAt: number }) => r.sentAt > revokeReturned + 1000 + 50;
    await load.until((r) => r.responses.filter(sentLate).length > 20);
    const result = await load.stop();

    expect(result.errors).toBe(0);
    const before = result.responses.filter((r) => r.sentAt < revokeStarted);
    const after = result.responses.filter(sentLate);
    expect(before.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    expect(new Set(before.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(after.map((r) => r.status))).toEqual(new Set([401]));

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    // Every answered request has its audit record, and there are no others.
    const audit = await auditOf(data);
    expect(audit.map((r) => r.requestId).sort()).toEqual(result.responses.map((r) => r.requestId).sort());
    expect(audit.filter((r) => r.status === 401).length).toBe(result.responses.filter((r) => r.status === 401).length);
  });

  it("after kill -9 under load, a restart has every completed request's audit record and exact counters", { timeout: 120_000 }, async () => {
    const data = join(dir, "kill");
    const first = await serveOn(data);
    const { token, id } = await createToken(data);
    const load = boundedLoad(`${first.serve.base}/api/${first.gatewayId}/proxy/api/x`, token, WORKERS);
    await load.until((r) => r.responses.length > 40);
    first.serve.child.kill("SIGKILL");
    await first.serve.exited;
    const result = await load.stop();
    const completed = result.responses.filter((r) => r.status === 200);
    expect(completed.length).toBe(result.responses.length);
    expect(completed.length).toBeGreaterThan(20);

    const second = await serveOn(data);
    const audit = await auditOf(data);
    const audited = new Set(audit.map((r) => r.requestId));
    expect(completed.filter((r) => !audited.has(r.requestId))).toEqual([]);
    // At most the requests in flight at the kill were admitted without an answer.
    expect(audit.length - completed.length).toBeGreaterThanOrEqual(0);
    expect(audit.length - completed.length).toBeLessThanOrEqual(WORKERS);

    // The hour counter counts exactly the admitted requests: every audited one, plus at most those
    // whose counter was committed when the kill came before their audit record.
    const db = new DatabaseSync(join(data, STORE_FILE_NAME), { readOnly: true, timeout: 5000 });
    const counter = Number((db.prepare("SELECT count FROM rate_counters WHERE counter LIKE ?").get(`%/${id}|hour|%`) as { count: number }).count);
    db.close();
    expect(counter - audit.length).toBeGreaterThanOrEqual(0);
    expect(counter - audit.length).toBeLessThanOrEqual(WORKERS);
    const next = await send(`${second.serve.base}/api/${second.gatewayId}/proxy/api/x`, { headers: { authorization: `Bearer ${token}` } });
    expect(next.status).toBe(200);
    expect(next.headers.ratelimit).toContain(`"per-hour";r=${PER_HOUR - counter - 1};`);
    second.serve.child.kill("SIGTERM");
    expect(await second.serve.exited).toBe(0);
  });

  it.each([
    ["with a Content-Length", "x"],
    ["chunked", "chunked/x"],
  ])(
    "a response %s completes only after the commit of its audit record: while another process holds the write lock it never completes, and kill -9 then leaves no completed request unaudited",
    {
      timeout: 60_000,
    },
    async (_how, path) => {
      const data = join(dir, `promise-${path.replace("/", "-")}`);
      const { serve, gatewayId } = await serveOn(data);
      const { token } = await createToken(data);
      // No rate limit on this endpoint: the audit record is the request's only write.
      const url = `${serve.base}/api/${gatewayId}/proxy/free/${path}`;
      const warm = await send(url, { headers: { authorization: `Bearer ${token}` } });
      expect(warm.status).toBe(200);
      expect(warm.text).toBe('{"ok":true}');

      // This process takes SQLite's write lock and keeps it: the server's audit commit has to wait.
      const blocker = new DatabaseSync(join(data, STORE_FILE_NAME), { timeout: 5000 });
      blocker.exec("BEGIN IMMEDIATE");
      const outcome = send(url, { headers: { authorization: `Bearer ${token}` } }).then(
        (sent) => ({ completed: true, status: sent.status, text: sent.text, requestId: String(sent.headers["x-request-id"]) }),
        () => ({ completed: false }),
      );
      // The server has the upstream's whole answer; the client must not have all of it yet.
      await new Promise((r) => setTimeout(r, 1500));
      expect(upstream.seen.filter((seen) => seen.url.endsWith(`/${path}`)).length).toBeGreaterThanOrEqual(2);
      serve.child.kill("SIGKILL");
      await serve.exited;
      blocker.exec("ROLLBACK");
      blocker.close();
      const answer = await outcome;

      const second = await serveOn(data);
      const audit = await auditOf(data);
      // A completed response always has its record: here the client never saw the end of the
      // second response, and only the first request's record was committed.
      if (answer.completed) expect(audit.map((r) => r.requestId)).toContain((answer as { requestId: string }).requestId);
      expect(answer).toEqual({ completed: false });
      expect(audit.length).toBe(1);
      second.serve.child.kill("SIGTERM");
      expect(await second.serve.exited).toBe(0);
    },
  );
});
