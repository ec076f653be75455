import { once } from "node:events";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../functions/engine/create-engine.ts";
import { createNodeServer, type NodeFrontDoor } from "../../../functions/front-doors/node/node-server.ts";

/** An engine that is never reached: the answers tested here are the front door's own. */
const unreachable: Engine = {
  handle: () => Promise.reject(new Error("the engine must not be called for a request Node could not parse")),
};

let door: NodeFrontDoor;
let port: number;

beforeAll(async () => {
  door = createNodeServer(unreachable);
  door.server.listen(0, "127.0.0.1");
  await once(door.server, "listening");
  port = (door.server.address() as AddressInfo).port;
});
afterAll(() => door.drain());

/** Sends raw bytes and reads the whole answer until the server closes the connection. */
function raw(text: string): Promise<{ head: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(text));
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const split = data.indexOf("\r\n\r\n");
      resolve({ head: data.slice(0, split).toLowerCase(), body: JSON.parse(data.slice(split + 4)) as Record<string, unknown> });
    });
  });
}

describe("the Node front door's own problems", () => {
  it("answers a framing error with the full problem shape, no-store and a request id", async () => {
    const { head, body } = await raw("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    expect(head).toMatch(/^http\/1\.1 400 bad request/);
    expect(head).toContain("content-type: application/problem+json");
    expect(head).toContain("cache-control: no-store");
    expect(head).toContain("connection: close");
    expect(body).toEqual({
      type: "https://gatehouse.dev/problems/malformed-request",
      title: "Bad request",
      status: 400,
      detail: "The request could not be parsed (framing or syntax).",
      code: "MALFORMED_REQUEST",
      requestId: expect.stringMatching(/^req_[0-9a-f]{32}$/),
    });
    expect(head).toContain(`x-request-id: ${String(body.requestId)}`);
  });

  it("answers an oversized head with 431 in the same shape", async () => {
    const { head, body } = await raw(`GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(head).toMatch(/^http\/1\.1 431 /);
    expect(head).toContain("cache-control: no-store");
    expect(body).toMatchObject({
      type: "https://gatehouse.dev/problems/headers-too-large",
      status: 431,
      code: "HEADERS_TOO_LARGE",
      requestId: expect.stringMatching(/^req_/),
    });
  });
});
