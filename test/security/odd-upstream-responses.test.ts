import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";

// Issue 15 item 3: upstreams that answer with bytes a normal server would not send. Each is a
// raw TCP server writing exact bytes, so nothing in between tidies them up.

const answers: Record<string, string> = {
  "/304": 'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 1234\r\n\r\n',
  "/204": "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello",
  "/continue": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
  "/processing": "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
};

let raw: Server;
const sockets = new Set<Socket>();
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  raw = createServer((socket: Socket) => {
    sockets.add(socket);
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const path = head.split(" ")[1]!.replace(/^\/raw/, "");
      head = head.slice(end + 4);
      socket.write(answers[path] ?? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  const port = (raw.address() as AddressInfo).port;
  h = await startHarness({
    name: "acme",
    endpoints: { raw: { upstream: `http://127.0.0.1:${port}/raw`, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => raw.close(() => resolve()));
});

describe("odd upstream answers still give the client a status line", () => {
  it("304 with Content-Length: 1234 and no body: the client gets the 304, headers kept, no body", async () => {
    const res = await send(h.url("raw", "/304"), { headers: auth });
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body.byteLength).toBe(0);
  });

  it("204 with a stray 5-byte body: the client gets a 204 with no body and no Content-Length", async () => {
    const res = await send(h.url("raw", "/204"), { headers: auth });
    expect(res.status).toBe(204);
    expect(res.body.byteLength).toBe(0);
    expect(res.headers["content-length"]).toBeUndefined();
  });

  it("an unsolicited 100 Continue before the 200: the client gets the 200 and its body", async () => {
    const res = await send(h.url("raw", "/continue"), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.text).toBe("ok");
  });

  it("a 102 Processing before the 200: the client gets the 200", async () => {
    const res = await send(h.url("raw", "/processing"), { headers: auth });
    expect(res.status).toBe(200);
    expect(res.text).toBe("ok");
  });

  it("every one of them was audited with the status the client got", async () => {
    const records = await h.audit(4);
    expect(records.map((r) => r.status)).toEqual([304, 204, 200, 200]);
  });
});
