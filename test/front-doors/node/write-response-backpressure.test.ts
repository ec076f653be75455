import { once } from "node:events";
import { createServer, get, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeClientSignal } from "../../../functions/front-doors/node/node-client-signal.ts";
import { writeResponse } from "../../../functions/front-doors/node/write-response.ts";
import { drainOrClose } from "../../../functions/front-doors/drain-or-close.ts";

// A body the Node door can only iterate (not a push source: a Lambda-shaped or peeked body)
// is written with backpressure: each write that fills the socket waits for 'drain', or for
// 'close' if the client leaves. That wait must leave no listener behind, or a large body to a
// slow client piles one 'close' listener per wait on the response.

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const CHUNKS = 160;

let port: number;
const closeListeners: number[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < CHUNKS; i++) {
      closeListeners.push(res.listenerCount("close"));
      yield CHUNK;
    }
  }
  void writeResponse({ status: 200, headers: { "content-length": String(CHUNK.byteLength * CHUNKS) }, body: body() }, req, res, new NodeClientSignal());
});
beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("writeResponse of an iterated body to a slow client", () => {
  it("waits for every drain without piling up listeners, and delivers every byte", async () => {
    const res = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, { agent: false }, resolve));
    // Not reading for a while fills the socket buffers, so the writes have to wait.
    res.pause();
    await new Promise((r) => setTimeout(r, 200));
    let bytes = 0;
    res.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
    res.resume();
    await once(res, "end");
    expect(bytes).toBe(CHUNK.byteLength * CHUNKS);
    expect(closeListeners).toHaveLength(CHUNKS);
    // The writer waited (the client was paused), yet no wait left a listener on the response.
    expect(Math.max(...closeListeners)).toBe(closeListeners[0]);
  });
});

describe("drainOrClose (both doors' wait)", () => {
  it("resolves at drain or at close and removes both listeners either way", async () => {
    const stream = new Writable({ highWaterMark: 4, write: (_chunk, _encoding, done) => setImmediate(done) });
    for (let i = 0; i < 20; i++) {
      expect(stream.write("12345")).toBe(false);
      await drainOrClose(stream);
    }
    expect([stream.listenerCount("drain"), stream.listenerCount("close"), stream.listenerCount("error")]).toEqual([0, 0, 0]);
    const closing = drainOrClose(stream);
    stream.destroy();
    await closing;
    expect([stream.listenerCount("drain"), stream.listenerCount("close")]).toEqual([0, 0]);
  });
});
