import { once } from "node:events";
import { createServer, get, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyWriter } from "../../../functions/front-doors/node/body-writer.ts";

/** What the client has received so far, and whether the response ended. */
interface Received {
  bytes: number;
  ended: boolean;
}

let port: number;
let next: (res: ServerResponse) => void;
const server = createServer((_req, res) => next(res));
beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Starts a GET and reports its progress live. */
async function request(): Promise<{ received: Received; done: Promise<void> }> {
  const received: Received = { bytes: 0, ended: false };
  const res = await new Promise<IncomingMessage>((resolve) => get(`http://127.0.0.1:${port}/`, { agent: false }, resolve));
  res.on("data", (chunk: Buffer) => (received.bytes += chunk.byteLength));
  const done = once(res, "end").then(() => {
    received.ended = true;
  });
  return { received, done };
}

/** Waits until the client has `bytes`, then a little longer, so anything already sent has arrived. */
async function settled(received: Received, bytes: number): Promise<void> {
  while (received.bytes < bytes) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 100));
}

describe("BodyWriter (the Node front door's body writes)", () => {
  it("keeps the chunk that completes a Content-Length body until end(): the client never has the whole body before", async () => {
    let out: BodyWriter | undefined;
    next = (res) => {
      res.writeHead(200, { "content-length": "10" });
      out = new BodyWriter(res, "10");
      expect(out.write(Buffer.from("01234"))).toBe(true);
      expect(out.write(Buffer.from("56789"))).toBe(true);
    };
    const { received, done } = await request();
    await settled(received, 5);
    expect(received).toEqual({ bytes: 5, ended: false });
    out!.end();
    await done;
    expect(received).toEqual({ bytes: 10, ended: true });
  });

  it("sends a chunked body as it comes: only the terminating chunk waits for end()", async () => {
    let out: BodyWriter | undefined;
    next = (res) => {
      res.writeHead(200, {});
      out = new BodyWriter(res, undefined);
      out.write(Buffer.from("01234"));
      out.write(Buffer.from("56789"));
    };
    const { received, done } = await request();
    await settled(received, 10);
    expect(received).toEqual({ bytes: 10, ended: false });
    out!.end();
    await done;
    expect(received).toEqual({ bytes: 10, ended: true });
  });

  it("holds back a one-chunk Content-Length body whole, headers included, until end()", async () => {
    let out: BodyWriter | undefined;
    let headersSeen = false;
    next = (res) => {
      res.writeHead(200, { "content-length": "3" });
      out = new BodyWriter(res, "3");
      out.write(Buffer.from("abc"));
    };
    const pending = request().then((started) => {
      headersSeen = true;
      return started;
    });
    await new Promise((r) => setTimeout(r, 150));
    // Node sends the head with the first body bytes, so nothing has reached the client.
    expect(headersSeen).toBe(false);
    out!.end();
    const { received, done } = await pending;
    await done;
    expect(received).toEqual({ bytes: 3, ended: true });
  });
});
