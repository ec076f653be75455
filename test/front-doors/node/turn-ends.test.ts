import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../../functions/adapters/memory/memory-audit-sink.ts";
import { openSqliteStore } from "../../../functions/adapters/sqlite/open-sqlite-store.ts";
import type { AuditSink } from "../../../functions/ports/audit-sink.ts";
import { TurnEnds, type EndingResponse } from "../../../functions/front-doors/node/turn-ends.ts";
import { auditRecord } from "../../contract/audit-sink-contract.ts";
import { startHarness, type Harness } from "../../helpers/harness.ts";
import { startUpstream, type UpstreamStub } from "../../helpers/upstream-stub.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function ending(log: string[], name: string): EndingResponse {
  return { finish: () => log.push(name) };
}

describe("TurnEnds", () => {
  it("finishes at once when no other request is in flight", () => {
    const log: string[] = [];
    new TurnEnds(() => false).end(ending(log, "only"));
    expect(log).toEqual(["only"]);
  });

  it("holds the ends of a busy turn and finishes them together, in order, after the poll phase", async () => {
    const log: string[] = [];
    const ends = new TurnEnds(() => true);
    ends.end(ending(log, "a"));
    ends.end(ending(log, "b"));
    expect(log).toEqual([]);
    await nextTurn();
    expect(log).toEqual(["a", "b"]);
    ends.end(ending(log, "c"));
    expect(log).toEqual(["a", "b"]);
    await nextTurn();
    expect(log).toEqual(["a", "b", "c"]);
  });
});

describe("AuditSink.resolvesPerTurn, which decides whether the door gathers ends", () => {
  it("is true of the SQLite sink, whose writes of one turn resolve together only after a later phase of the loop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-turn-ends-"));
    const store = openSqliteStore(dir);
    try {
      expect(store.audit.resolvesPerTurn).toBe(true);
      const settled: string[] = [];
      const first = store.audit.write(auditRecord({ requestId: "req_a" })).then(() => settled.push("a"));
      const second = store.audit.write(auditRecord({ requestId: "req_b" })).then(() => settled.push("b"));
      await Promise.resolve();
      await Promise.resolve();
      expect(settled).toEqual([]);
      await Promise.all([first, second]);
      expect(settled).toEqual(["a", "b"]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is unset on the memory sink, whose writes resolve at once", () => {
    const sink: AuditSink = new MemoryAuditSink();
    expect(sink.resolvesPerTurn).toBeUndefined();
  });
});

describe.each([
  ["gathered per turn", true],
  ["not gathered (gatherEnds: false, for a store that resolves per turn)", false],
])("the Node front door ending several responses in one turn, %s", (_label, gatherEnds) => {
  const CLIENTS = 8;
  let upstream: UpstreamStub;
  let h: Harness;
  let token: string;
  /** The upstream's held responses: released together once every client's request has arrived. */
  let held: Array<() => void> = [];

  beforeAll(async () => {
    upstream = await startUpstream(async (req, res) => {
      await new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === CLIENTS) for (const release of held.splice(0)) release();
      });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`done ${req.url}`);
    });
    h = await startHarness(
      { name: "acme", endpoints: { api: { upstream: upstream.url, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } },
      { frontDoor: { gatherEnds } },
    );
    token = (await h.token()).token;
  });
  afterAll(async () => {
    for (const release of held.splice(0)) release();
    await h.close();
    await upstream.close();
  });

  it("sends each whole body, and each only once its audit record is written", async () => {
    held = [];
    const answers = await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) =>
          new Promise<{ status: number; text: string; auditedAtEnd: boolean }>((resolve, reject) => {
            const req = httpRequest(h.url("api", `/item/${i}`), { headers: { authorization: `Bearer ${token}`, connection: "close" } }, (res) => {
              let text = "";
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => (text += chunk));
              res.on("end", () => {
                const id = String(res.headers["x-request-id"]);
                // The server runs in this process: what its audit holds when the body is complete.
                resolve({ status: res.statusCode ?? 0, text, auditedAtEnd: h.ports.audit.records.some((r) => r.requestId === id) });
              });
            });
            req.on("error", reject);
            req.end();
          }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: CLIENTS }, (_, i) => ({ status: 200, text: `done /item/${i}`, auditedAtEnd: true })));
  });
});
