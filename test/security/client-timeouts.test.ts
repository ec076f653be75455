import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { rawClient } from "../helpers/raw-client.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 5: a stalled client is the client's fault (408, not 504); a slowloris head is
// cut sooner and with 408; connections are capped; a parse error on a connection whose earlier
// response is still going out does not write a status line into that response.

let upstream: UpstreamStub;
let h: Harness;
let token: string;
const open: Harness[] = [];

beforeAll(async () => {
  upstream = await startUpstream(
    async (req, res) => {
      let bytes = 0;
      for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
      if (req.url?.includes("slow")) await new Promise((r) => setTimeout(r, req.url!.includes("slower") ? 3000 : 400));
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`read ${bytes}`);
    },
    { streaming: true },
  );
  h = await startHarness(
    {
      name: "acme",
      endpoints: { api: { upstream: `${upstream.url}/v1`, methods: ["GET", "POST"], timeoutSeconds: 1, unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
    },
    { frontDoor: { headersTimeoutMs: 400, requestTimeoutMs: 30_000, maxConnections: 4 } },
  );
  token = (await h.token()).token;
});
afterAll(async () => {
  for (const o of open) await o.close();
  await h?.close();
  await upstream?.close();
});

const path = (tail: string) => new URL(h.url("api", tail)).pathname;

describe("timeouts blamed on the right side", () => {
  it("a client that declares 1000 bytes, sends 10 and stalls gets 408 CLIENT_TIMEOUT, audited so", async () => {
    const client = await rawClient(h.base);
    try {
      const before = h.ports.audit.records.length;
      client.write(
        `POST ${path("/upload")} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n0123456789`,
      );
      const text = await client.waitFor(/\r\n\r\n\{.*\}/s);
      expect(text.startsWith("HTTP/1.1 408 ")).toBe(true);
      expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).code).toBe("CLIENT_TIMEOUT");
      const records = await h.audit(before + 1);
      expect(records.at(-1)!.decision).toBe("CLIENT_TIMEOUT");
    } finally {
      client.close();
    }
  });

  it("an upstream that reads the whole body and then stalls is still 504 UPSTREAM_TIMEOUT", async () => {
    const client = await rawClient(h.base);
    try {
      client.write(`POST ${path("/slower")} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 10\r\n\r\n0123456789`);
      const text = await client.waitFor(/\r\n\r\n\{.*\}/s);
      expect(text.startsWith("HTTP/1.1 504 ")).toBe(true);
      expect(text).toContain('"code":"UPSTREAM_TIMEOUT"');
    } finally {
      client.close();
    }
  });

  it("a slowloris head gets 408 REQUEST_TIMEOUT once headersTimeout passes, and the connection closes", async () => {
    const client = await rawClient(h.base);
    try {
      client.write(`GET ${path("/x")} HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n`);
      const text = await client.waitFor(/\r\n\r\n\{.*\}/s);
      expect(text.startsWith("HTTP/1.1 408 Request Timeout\r\n")).toBe(true);
      expect(text).toContain('"code":"REQUEST_TIMEOUT"');
      await client.closed;
    } finally {
      client.close();
    }
  });
});

describe("connection cap", () => {
  it("past maxConnections a new connection is closed at once; after one leaves, a new one is served", async () => {
    const held = await Promise.all([1, 2, 3, 4].map(() => rawClient(h.base)));
    try {
      // Each holds a connection with a head in progress (short of the headers timeout).
      for (const c of held) c.write("GET /");
      const extra = await rawClient(h.base);
      const outcome = await Promise.race([extra.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("still open"), 5000))]);
      expect(outcome).toBe("closed");
      expect(extra.received()).toBe("");
      const gone = held.shift()!;
      gone.close();
      await gone.closed;
      await connectionsBelow(4);
      const late = await rawClient(h.base);
      late.write(`GET ${path("/x")} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect((await late.waitFor(/\r\n\r\n/)).startsWith("HTTP/1.1 401 ")).toBe(true);
      late.close();
    } finally {
      for (const c of held) c.close();
    }
  });
});

/** Resolves once the gateway's server counts fewer than `n` open connections. */
async function connectionsBelow(n: number): Promise<void> {
  for (;;) {
    const count = await new Promise<number>((resolve, reject) => h.server.getConnections((error, c) => (error ? reject(error) : resolve(c))));
    if (count < n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Its own gateway with the default front door (no tight timeouts or cap from the tests above), a token and a raw connection. */
async function plainGatewayConnection() {
  const plain = await startHarness({
    name: "acme",
    endpoints: { api: { upstream: `${upstream.url}/v1`, methods: ["GET"], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] } },
  });
  open.push(plain);
  const plainToken = (await plain.token()).token;
  return { plain, plainToken, client: await rawClient(plain.base) };
}

describe("a parse error behind a response in flight", () => {
  it("the earlier request's 200 arrives whole, no 400 is written into it, then the connection closes", async () => {
    const { plain, plainToken, client } = await plainGatewayConnection();
    try {
      client.write(
        `GET ${new URL(plain.url("api", "/slow")).pathname} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${plainToken}\r\n\r\nNOT HTTP AT ALL\r\n\r\n`,
      );
      await client.closed;
      const text = client.received();
      expect(text.slice(0, 17)).toBe("HTTP/1.1 200 OK\r\n");
      expect(text).toContain("read 0");
      expect(text).not.toContain("HTTP/1.1 400");
    } finally {
      client.close();
    }
  });

  it("with pipelining, the first response finishing does not forget the second one still in flight", async () => {
    const { plain, plainToken, client } = await plainGatewayConnection();
    const head = (path: string) => `GET ${new URL(plain.url("api", path)).pathname} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${plainToken}\r\n\r\n`;
    try {
      // Both requests are parsed at once; the second (400 ms upstream) is still in flight when the first's 200 has gone out.
      client.write(head("/fast") + head("/slow"));
      for (let i = 0; i < 100 && !client.received().includes("read 0"); i++) await new Promise((r) => setTimeout(r, 10));
      expect(client.received().split("HTTP/1.1 200 OK").length - 1).toBe(1);
      client.write("NOT HTTP AT ALL\r\n\r\n");
      await client.closed;
      const text = client.received();
      expect(text.split("HTTP/1.1 200 OK").length - 1).toBe(2);
      expect(text).not.toContain("HTTP/1.1 400");
    } finally {
      client.close();
    }
  });
});
