import { connect } from "node:net";
import { createServer } from "node:net";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

let upstream: UpstreamStub;
let streaming: UpstreamStub;
let h: Harness;
let token: string;
let closedPort: number;

beforeAll(async () => {
  upstream = await startUpstream(async (req, res) => {
    if (req.url?.startsWith("/slow")) await new Promise((r) => setTimeout(r, 3000));
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("done");
  });
  // Sends a first chunk, waits, then the rest: proves the gateway streams the response.
  streaming = await startUpstream(
    async (req, res) => {
      if (req.url?.startsWith("/cut")) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("partial|");
        await new Promise((r) => setTimeout(r, 100));
        res.destroy();
        return;
      }
      if (req.url?.startsWith("/drip")) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first|");
        await new Promise((r) => setTimeout(r, 400));
        res.end("second");
        return;
      }
      // Echo the body as it arrives.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      for await (const chunk of req) res.write(chunk);
      res.end();
    },
    { streaming: true },
  );
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));

  const allow = ["127.0.0.1/32"];
  h = await startHarness({
    name: "acme",
    endpoints: {
      api: { upstream: upstream.url, methods: ["GET", "POST"], timeoutSeconds: 1, maxRequestBytes: 1000, unsafeAllowPrivateNetworks: allow },
      stream: { upstream: streaming.url, methods: ["GET", "POST", "HEAD"], maxRequestBytes: 10_000_000, unsafeAllowPrivateNetworks: allow },
      dead: { upstream: `http://127.0.0.1:${closedPort}`, methods: ["GET"], unsafeAllowPrivateNetworks: allow },
    },
  });
  token = (await h.token()).token;
});
afterAll(async () => {
  await h.close();
  await upstream.close();
  await streaming.close();
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe("upstream failures", () => {
  it("answers 504 at the endpoint's timeout, not later", async () => {
    const started = Date.now();
    const r = await send(h.url("api", "/slow"), { headers: auth() });
    const elapsed = Date.now() - started;
    expect(r.status).toBe(504);
    expect(r.json().code).toBe("UPSTREAM_TIMEOUT");
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500); // the upstream itself takes 3 s
  });

  it("answers 502 when nothing listens on the upstream port", async () => {
    const before = h.ports.audit.records.length;
    const r = await send(h.url("dead"), { headers: auth() });
    expect(r.status).toBe(502);
    expect(r.json()).toMatchObject({ code: "UPSTREAM_UNREACHABLE", detail: "The upstream could not be reached." });
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.decision).toBe("UPSTREAM_UNREACHABLE");
    expect(record!.reason).toContain("ECONNREFUSED");
  });
});

describe("bodies", () => {
  it("refuses a declared body over the limit with 413 without forwarding", async () => {
    const seen = upstream.seen.length;
    const r = await send(h.url("api", "/upload"), { method: "POST", headers: { ...auth(), "content-type": "text/plain" }, body: "x".repeat(1001) });
    expect(r.status).toBe(413);
    expect(r.json().code).toBe("BODY_TOO_LARGE");
    expect(upstream.seen.length).toBe(seen);
  });

  it("accepts a body at exactly the limit", async () => {
    const r = await send(h.url("api", "/upload"), { method: "POST", headers: auth(), body: "x".repeat(1000) });
    expect(r.status).toBe(200);
    expect(upstream.seen.at(-1)!.body.byteLength).toBe(1000);
  });

  it("stops a chunked body as soon as it passes the limit: 413, upstream request aborted", async () => {
    const before = h.ports.audit.records.length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(h.url("api", "/chunked"), { method: "POST", headers: { ...auth(), "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("x".repeat(600));
      setTimeout(() => req.write("y".repeat(600)), 50);
      // never ended: the gateway must not wait for the rest
    });
    expect(status).toBe(413);
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.decision).toBe("BODY_TOO_LARGE");
    expect(record!.bytesIn).toBeGreaterThan(1000);
    expect(record!.bytesIn).toBeLessThanOrEqual(1200);
  });

  it("streams the response: the first chunk reaches the client before the upstream finishes", async () => {
    const chunks: Array<{ at: number; text: string }> = [];
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      httpRequest(h.url("stream", "/drip"), { headers: auth() }, (res) => {
        res.on("data", (c: Buffer) => chunks.push({ at: Date.now() - started, text: c.toString() }));
        res.on("end", () => resolve());
      })
        .on("error", reject)
        .end();
    });
    expect(chunks.map((c) => c.text).join("")).toBe("first|second");
    expect(chunks[0]!.text).toBe("first|");
    expect(chunks.at(-1)!.at - chunks[0]!.at).toBeGreaterThanOrEqual(300);
  });

  it("streams a large request body through without buffering it whole (4 MB echo)", async () => {
    const payload = Buffer.alloc(4 * 1024 * 1024, 7);
    const r = await send(h.url("stream", "/echo"), { method: "POST", headers: { ...auth(), "content-type": "application/octet-stream" }, body: payload });
    expect(r.status).toBe(200);
    expect(r.body.equals(payload)).toBe(true);
  });

  it("aborts the upstream request when the client goes away mid-body; the audit says so", async () => {
    const before = h.ports.audit.records.length;
    const seen = streaming.seen.length;
    const req = httpRequest(h.url("stream", "/echo"), { method: "POST", headers: { ...auth(), "content-length": "100000" } });
    req.on("error", () => {});
    req.write("a".repeat(1000));
    for (let i = 0; i < 100 && streaming.seen.length === seen; i++) await new Promise((r) => setTimeout(r, 10));
    expect(streaming.seen.length).toBe(seen + 1);
    req.destroy();
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.clientAborted).toBe(true);
    expect(["CLIENT_ABORTED"]).toContain(record!.decision);
    for (let i = 0; i < 100 && !streaming.seen.at(-1)!.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(streaming.seen.at(-1)!.aborted).toBe(true);
  });

  it("stops the upstream response when the client leaves mid-response; audited once as CLIENT_ABORTED", async () => {
    const before = h.ports.audit.records.length;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(h.url("stream", "/drip"), { headers: auth() }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => {});
      req.on("close", () => resolve());
      req.end();
      setTimeout(() => reject(new Error("no first chunk")), 3000);
    });
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.decision).toBe("CLIENT_ABORTED");
    expect(record!.clientAborted).toBe(true);
    expect(record!.bytesOut).toBe("first|".length);
    // Once the front door is done with the request, no second record can come for it.
    await h.finished(record!.requestId);
    expect(h.ports.audit.records.length).toBe(before + 1);
  });

  it("cuts the client's connection when the upstream body breaks; audited once as UPSTREAM_INTERRUPTED", async () => {
    const before = h.ports.audit.records.length;
    const outcome = await new Promise<{ received: string; error: boolean }>((resolve) => {
      let received = "";
      const req = httpRequest(h.url("stream", "/cut"), { headers: auth() }, (res) => {
        res.on("data", (c: Buffer) => (received += c.toString()));
        res.on("end", () => resolve({ received, error: false }));
        res.on("error", () => resolve({ received, error: true }));
        res.on("aborted", () => resolve({ received, error: true }));
      });
      req.on("error", () => resolve({ received, error: true }));
      req.end();
    });
    expect(outcome.received).toBe("partial|");
    expect(outcome.error).toBe(true);
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.decision).toBe("UPSTREAM_INTERRUPTED");
    expect(record!.status).toBe(200);
    expect(record!.bytesOut).toBe("partial|".length);
    await h.finished(record!.requestId);
    expect(h.ports.audit.records.length).toBe(before + 1);
  });

  it("completes the audit of a HEAD request", async () => {
    const before = h.ports.audit.records.length;
    const r = await send(h.url("stream", "/drip"), { method: "HEAD", headers: auth() });
    expect(r.status).toBe(200);
    const [record] = (await h.audit(before + 1)).slice(before);
    expect(record!.decision).toBe("OK");
  });
});

describe("malformed requests", () => {
  const raw = (text: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(h.base).port), "127.0.0.1", () => socket.end(text));
      let data = "";
      socket.on("data", (c) => (data += c.toString()));
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(data));
    });
  const path = () => new URL(h.url("api", "/x")).pathname;

  it("400s conflicting Content-Length and Transfer-Encoding", async () => {
    const response = await raw(
      `POST ${path()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toContain('"code":"MALFORMED_REQUEST"');
  });

  it("400s two different Content-Length values", async () => {
    const response = await raw(`POST ${path()} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello`);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
  });

  it("431s an oversized request head", async () => {
    const response = await raw(`GET ${path()} HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect(response).toContain('"code":"HEADERS_TOO_LARGE"');
  });
});
