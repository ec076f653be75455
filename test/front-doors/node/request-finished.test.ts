import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FinishedRequest } from "../../../functions/front-doors/node/node-server.ts";
import { startHarness, type Harness } from "../../helpers/harness.ts";
import { send } from "../../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../../helpers/upstream-stub.ts";

/** Each finished request, with what the audit held when the front door reported it. */
const reports: Array<FinishedRequest & { auditedIds: string[] }> = [];
let upstream: UpstreamStub;
let h: Harness;
let token: string;
/** Lets the dripping upstream send the rest of its body. */
let releaseDrip: () => void = () => {};

beforeAll(async () => {
  upstream = await startUpstream(
    async (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      if (!req.url?.startsWith("/drip")) return void res.end("done");
      res.write("first|");
      await new Promise<void>((resolve) => (releaseDrip = resolve));
      res.end("second");
    },
    { streaming: true },
  );
  h = await startHarness(
    { name: "acme", endpoints: { api: { upstream: upstream.url, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } },
    { frontDoor: { onRequestFinished: (finished) => reports.push({ ...finished, auditedIds: h.ports.audit.records.map((r) => r.requestId) }) } },
  );
  token = (await h.token()).token;
});
afterAll(async () => {
  releaseDrip();
  await h.close();
  await upstream.close();
});

describe("the Node front door's onRequestFinished", () => {
  it("reports a proxied request once, with its request id and status, after its audit record is written", async () => {
    const r = await send(h.url("api", "/x"), { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const id = String(r.headers["x-request-id"]);
    const finished = await h.finished(id);
    expect(finished).toEqual({ requestId: id, status: 200 });
    expect(reports.filter((f) => f.requestId === id)).toHaveLength(1);
    expect(reports.find((f) => f.requestId === id)!.auditedIds).toContain(id);
  });

  it("reports a refusal the engine answered (401), after its record", async () => {
    const r = await send(h.url("api", "/x"));
    expect(r.status).toBe(401);
    const id = String(r.headers["x-request-id"]);
    expect(await h.finished(id)).toEqual({ requestId: id, status: 401 });
    expect(reports.find((f) => f.requestId === id)!.auditedIds).toContain(id);
  });

  it("reports a request whose client left mid-response only after the CLIENT_ABORTED record", async () => {
    const id = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(h.url("api", "/drip"), { headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve(String(res.headers["x-request-id"]));
        });
      });
      req.on("error", () => {});
      req.on("close", () => reject(new Error("closed before the first chunk")));
      req.end();
    });
    const finished = await h.finished(id);
    expect(finished).toEqual({ requestId: id, status: 200 });
    const record = h.ports.audit.records.find((r) => r.requestId === id);
    expect(record).toMatchObject({ decision: "CLIENT_ABORTED", clientAborted: true, bytesOut: "first|".length });
    expect(reports.find((f) => f.requestId === id)!.auditedIds).toContain(id);
  });
});

describe("the Node front door's onAccess", () => {
  it("keeps answering when the access callback throws: the line is lost, the request and the server are not", async () => {
    const calls: number[] = [];
    const failing = await startHarness(
      { name: "acme", endpoints: { api: { upstream: upstream.url, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } } },
      {
        frontDoor: {
          onAccess: (line) => {
            calls.push(line.status);
            throw new Error("log pipe broke");
          },
        },
      },
    );
    try {
      const auth = { authorization: `Bearer ${(await failing.token()).token}` };
      const first = await send(failing.url("api", "/x"), { headers: auth });
      const second = await send(failing.url("api", "/x"), { headers: auth });
      expect([first.status, first.text, second.status, second.text]).toEqual([200, "done", 200, "done"]);
      await failing.finished(second.headers["x-request-id"] as string);
      expect(calls).toEqual([200, 200]);
    } finally {
      await failing.close();
    }
  });
});
