import { createHash } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UndiciUpstreamClient } from "../../functions/adapters/upstream/undici-upstream-client.ts";
import type { Dialer } from "../../functions/adapters/upstream/ssrf/dialer.ts";
import type { PushSource } from "../../functions/ports/http-types.ts";
import { UpstreamError, type UpstreamRequest } from "../../functions/ports/upstream-client.ts";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// The upstream client hands each call to undici's dispatch with one object of its own as the
// handler and the response body (no Readable per body). What that object must keep of what
// undici's request() and a Node Readable gave: backpressure both when pushed into the client's
// socket and when iterated, 1xx heads skipped, an abandoned body stopping the upstream, a body
// that breaks reported as broken, and the endpoint's timeout holding while a connection is still
// being made.

// Larger than anything the sockets on both sides of the gateway can hold: loopback receive buffers
// may autotune up to net.ipv4.tcp_rmem's maximum (32 MiB on this kind of machine), send buffers to
// 4 MiB. Stalls seen: about 10 MB pushed, 6 MB iterated.
const BIG = 128 * 1024 * 1024;
const PIECE = Buffer.alloc(64 * 1024, "gatehouse-");
/** SHA-256 of the big body (PIECE repeated), computed without holding it. */
const bigSha = (() => {
  const hash = createHash("sha256");
  for (let sent = 0; sent < BIG; sent += PIECE.byteLength) hash.update(PIECE);
  return hash.digest("hex");
})();

/** Reads a body to its end, hashing as it goes: its length and SHA-256. */
async function digest(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number; sha: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha: hash.digest("hex") };
}

/** What the big upstream has managed to hand to its socket so far, per request. */
const handedOver: number[] = [];
/** Upstream responses that closed before they finished. */
let cut = 0;

async function writeBig(res: ServerResponse): Promise<void> {
  const at = handedOver.push(0) - 1;
  res.on("close", () => {
    if (!res.writableFinished) cut++;
  });
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(BIG) });
  for (let sent = 0; sent < BIG; sent += PIECE.byteLength) {
    if (res.destroyed) return;
    if (!res.write(PIECE)) {
      // Both listeners go once either fires (chained once()s kept a 'close' listener per wait).
      await new Promise<void>((resolve) => {
        const go = () => (res.off("drain", go).off("close", go), resolve());
        res.on("drain", go).on("close", go);
      });
    }
    handedOver[at] = sent + PIECE.byteLength;
  }
  res.end();
}

let upstream: UpstreamStub;
let h: Harness;
let token: string;
const client = new UndiciUpstreamClient();

beforeAll(async () => {
  upstream = await startUpstream(
    async (req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      if (req.url === "/big") return writeBig(res);
      if (req.url === "/hints") {
        res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" });
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("after the hints");
        return;
      }
      if (req.url === "/break") {
        res.writeHead(200, { "content-type": "text/plain", "content-length": "100" });
        res.write("only part|");
        setTimeout(() => res.destroy(), 50);
        return;
      }
      res.writeHead(404);
      res.end();
    },
    { streaming: true },
  );
  h = await startHarness({
    name: "exchange",
    endpoints: { files: { upstream: upstream.url, methods: ["GET"], timeoutSeconds: 30, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  token = (await h.token()).token;
});
afterAll(async () => {
  await h.close();
  await client.close();
  await upstream.close();
});

const call = (path: string, overrides: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  origin: upstream.url,
  path,
  method: "GET",
  headers: {},
  body: null,
  timeoutMs: 10_000,
  allowPrivate: ["127.0.0.1/32"],
  ...overrides,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the last big response has stopped advancing for 300 ms; answers what it handed over. */
async function stalled(): Promise<number> {
  let last = -1;
  for (;;) {
    await sleep(300);
    const now = handedOver.at(-1) ?? 0;
    if (now === last) return now;
    last = now;
  }
}

describe("backpressure", () => {
  it("a client that does not read stops the upstream through the gateway's socket, then gets every byte", async () => {
    const got = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest(h.url("files", "/big"), { headers: { authorization: `Bearer ${token}` } }, resolve)
        .on("error", reject)
        .end(),
    );
    expect(got.statusCode).toBe(200);
    got.pause();
    // Without backpressure the gateway would read all 128 MiB into memory at once. What may be in
    // flight is the sockets' buffers on both sides of the gateway plus its small queues.
    const before = await stalled();
    expect(before).toBeLessThan(BIG / 2);
    expect(await digest(got)).toEqual({ bytes: BIG, sha: bigSha });
    const [record] = (await h.audit(1)).slice(-1);
    expect(record).toMatchObject({ status: 200, bytesOut: BIG, decision: "OK" });
  });

  it("a body iterated slowly (as the Lambda doors read it) stops the upstream too, then yields every byte in order", async () => {
    const response = await client.send(call("/big"));
    expect(response.status).toBe(200);
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const before = await stalled();
    expect(before).toBeLessThan(BIG / 2);
    const hash = createHash("sha256").update(first.value!);
    let bytes = first.value!.byteLength;
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      hash.update(step.value);
      bytes += step.value.byteLength;
    }
    expect({ bytes, sha: hash.digest("hex") }).toEqual({ bytes: BIG, sha: bigSha });
  });
});

describe("what the exchange passes on and what it stops", () => {
  it("skips a 103 Early Hints head: the client gets the final 200 and its body", async () => {
    const response = await fetch(h.url("files", "/hints"), { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("after the hints");
    expect(response.headers.get("link")).toBeNull();
  });

  it("an iterated body that is returned early stops the upstream's response", async () => {
    const cutBefore = cut;
    const response = await client.send(call("/big"));
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    for (let i = 0; i < 50 && cut === cutBefore; i++) await sleep(20);
    expect(cut).toBe(cutBefore + 1);
    // Nothing more comes out of it.
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("a body the upstream cuts short rejects the iterator after the bytes that came", async () => {
    const response = await client.send(call("/break"));
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value!).toString()).toBe("only part|");
    await expect(iterator.next()).rejects.toThrow();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("reads a body once: a second reader is refused with an error, not given half of it", async () => {
    const response = await client.send(call("/hints"));
    const iterator = response.body[Symbol.asyncIterator]();
    expect(() => (response.body as unknown as PushSource).pushTo({ onChunk: () => true, onEnd: () => {}, onError: () => {} })).toThrow("read once");
    expect(Buffer.from((await iterator.next()).value!).toString()).toBe("after the hints");
  });

  it("answers the endpoint's timeout while the connection is still being made, not when the connect attempt ends", async () => {
    const dials: string[] = [];
    // A dialer whose connection attempt fails only after 2 s, as an unanswered SYN does at the
    // connect timeout (10 s by default).
    const slow: Dialer = (options, callback) => {
      dials.push(String(options.hostname));
      setTimeout(() => callback(new Error("connect ETIMEDOUT"), null), 2000);
    };
    const stuck = new UndiciUpstreamClient({ guard: { dial: slow, lookup: async () => [{ address: "127.0.0.1", family: 4 }] } });
    const started = Date.now();
    const failure = await stuck.send(call("/hints", { timeoutMs: 300 })).catch((error: unknown) => error);
    const waited = Date.now() - started;
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ kind: "timeout", message: "the upstream did not answer in time" });
    expect(dials).toEqual(["127.0.0.1"]);
    expect(waited).toBeLessThan(1500);
    await stuck.close();
  });
});
