import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Method } from "gatehouse-gateway";
import { main } from "../../cli/main.ts";
import { openStores, type LocalStores } from "../../functions/front-doors/node/wire-stores.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { recordingIo } from "../helpers/recording-io.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 19 item 7: `gatehouse audit --request-id`, `--format table|json|csv`, the refusal reason
// in the table, on the SQLite store and on DynamoDB (dynalite) alike.

const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(new URL("../../schema/audit-record.schema.json", import.meta.url), "utf8")));

let upstream: UpstreamStub;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream?.close());

interface Store {
  stores: LocalStores;
  flags: string[];
  close(): Promise<void>;
}

const targets: Array<[string, () => Promise<Store>]> = [
  [
    "the SQLite store",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "gatehouse-audit-cli-"));
      const stores = await openStores({ kind: "local", dataDir: dir });
      return { stores, flags: ["--data", dir], close: async () => (await stores.close(), await rm(dir, { recursive: true, force: true })) };
    },
  ],
  [
    "DynamoDB (dynalite)",
    async () => {
      const db: TestDynalite = await startTestDynalite({ prefix: "audit-cli" });
      const stores = await openStores({
        kind: "aws",
        region: "us-east-1",
        endpoint: db.endpoint,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        tables: db.tables,
      });
      const flags = ["--endpoint-url", db.endpoint, "--region", "us-east-1", "--tokens-table", db.tables.tokens, "--audit-table", db.tables.audit];
      return { stores, flags, close: async () => (await stores.close(), await db.stop()) };
    },
  ],
];

describe.each(targets)("gatehouse audit on %s", (_name, open) => {
  let store: Store;
  let h: Harness;
  let ids: { ok: string; refused: string; lost: string };
  const audit = async (...args: string[]) => {
    // No AWS settings from the machine: against a loopback endpoint the CLI signs with dummy credentials.
    const io = recordingIo(process.cwd(), {});
    const code = await main(["audit", ...args, ...store.flags], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  beforeAll(async () => {
    store = await open();
    const { tokens, audit: sink, rateLimiter } = store.stores;
    h = await startHarness(
      { name: "auditcli", endpoints: { echo: { upstream: upstream.url, methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } },
      { ports: { tokens, audit: sink, rateLimiter } as never },
    );
    const token = (await h.token()).token;
    const ok = await send(h.url("echo", "/a"), { headers: { authorization: `Bearer ${token}`, "user-agent": '=cmd|"calc", x' } });
    const refused = await send(h.url("echo", "/b"), { headers: { authorization: "Bearer gatehouse_not-a-token" } });
    const lost = await send(h.url("nope", "/c"), { headers: { authorization: `Bearer ${token}` } });
    expect([ok.status, refused.status, lost.status]).toEqual([200, 401, 404]);
    ids = { ok: String(ok.headers["x-request-id"]), refused: String(refused.headers["x-request-id"]), lost: String(lost.headers["x-request-id"]) };
    for (let i = 0; i < 100 && (await sink.query({ gatewayId: h.gateway.id })).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });

  it("--request-id finds exactly that record; the table shows the refusal reason", async () => {
    const result = await audit("--request-id", ids.refused);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^TIME\s+STATUS\s+DECISION\s+REASON\s+METHOD/);
    expect(lines[1]).toMatch(/\s401\s+TOKEN_INVALID\s+malformed token\s+GET\s+echo\s+-\s/);
    expect((await audit("--request-id", "req_00000000000000000000000000000000")).out).toBe("no audit record of request req_00000000000000000000000000000000");
  });

  it("--format json is one record per line, each valid against audit-record.schema.json", async () => {
    const result = await audit("--gateway", h.gateway.id, "--format", "json");
    const records = result.out.split("\n").map((line) => JSON.parse(line));
    // Ordered by time, then request id: requests within one millisecond sort by id.
    expect(records.map((r) => r.requestId).sort()).toEqual([ids.ok, ids.refused, ids.lost].sort());
    for (const r of records) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });

  it("a 404 under the known gateway id is recorded under that gateway", async () => {
    const result = await audit("--gateway", h.gateway.id, "--status", "404", "--format", "json");
    expect(JSON.parse(result.out)).toMatchObject({
      requestId: ids.lost,
      gatewayId: h.gateway.id,
      gatewayName: "auditcli",
      decision: "ROUTE_NOT_FOUND",
      endpoint: null,
    });
  });

  it("--format csv: a header of every field, RFC 4180 quoting, CRLF, formulas defused", async () => {
    const result = await audit("--request-id", ids.ok, "--format", "csv");
    const [header, row, ...rest] = result.out.split("\n");
    expect(rest).toEqual([]);
    expect(header).toBe(
      "requestId,time,event,gatewayId,gatewayName,endpoint,tokenId,tokenLabel,method,path,status,upstreamStatus,decision,reason,durationMs,upstreamDurationMs,bytesIn,bytesOut,clientAddress,userAgent,revision,ssrf,clientAborted,secretsScrubbed\r",
    );
    expect(row!.startsWith(`${ids.ok},`)).toBe(true);
    expect(row!.endsWith(`,"'=cmd|""calc"", x",${h.gateway.revision},,,\r`)).toBe(true);
  });

  it("refuses an unknown --format and --json beside another format (exit 2)", async () => {
    const bad = await audit("--format", "xml");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("gatehouse audit: --format takes table, json or csv, not 'xml'");
    expect((await audit("--format", "csv", "--json")).code).toBe(2);
  });
});
