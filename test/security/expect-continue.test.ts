import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { rawClient } from "../helpers/raw-client.ts";
import { startUpstream, type UpstreamStub } from "../helpers/upstream-stub.ts";

// Issue 15 item 4: `Expect: 100-continue` must get the final refusal before `100 Continue`,
// so a client is never invited to upload a body that will be refused.

let upstream: UpstreamStub;
let h: Harness;
let token: string;
let otherToken: string;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`got ${req.headers["content-length"]} expect=${req.headers.expect ?? "none"}`);
  });
  const common = { upstream: `${upstream.url}/v1`, unsafeAllowPrivateNetworks: ["127.0.0.1/32"], maxRequestBytes: 100 };
  h = await startHarness({ name: "acme", endpoints: { api: { ...common, methods: ["POST"] }, other: { ...common, methods: ["POST"] } } });
  token = (await h.token()).token;
  otherToken = (await h.token({ endpoints: ["other"] })).token;
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

function head(method: string, path: string, headers: Record<string, string>): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", "Expect: 100-continue", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

const path = () => new URL(h.url("api", "/items")).pathname;

describe("Expect: 100-continue", () => {
  it.each([
    ["no token", "POST", {}, 401],
    [
      "a token not scoped to the endpoint",
      "POST",
      {
        get authorization() {
          return `Bearer ${otherToken}`;
        },
      },
      403,
    ],
    [
      "a method not allowed",
      "PUT",
      {
        get authorization() {
          return `Bearer ${token}`;
        },
      },
      405,
    ],
    [
      "a declared body over the limit",
      "POST",
      {
        get authorization() {
          return `Bearer ${token}`;
        },
        "content-length": "5000",
      },
      413,
    ],
  ])("%s: the final status comes first and no 100 Continue is ever sent", async (_name, method, extra, status) => {
    const client = await rawClient(h.base);
    try {
      const before = upstream.seen.length;
      client.write(head(method, path(), { "content-length": "10", ...extra }));
      const text = await client.waitFor(/\r\n\r\n/);
      expect(text.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      expect(text).not.toContain("100 Continue");
      expect(upstream.seen.length).toBe(before);
    } finally {
      client.close();
    }
  });

  it("an admissible request gets 100 Continue, then, after the body, the upstream's 200 (Expect not forwarded)", async () => {
    const client = await rawClient(h.base);
    try {
      client.write(head("POST", path(), { authorization: `Bearer ${token}`, "content-length": "10", "content-type": "text/plain" }));
      const interim = await client.waitFor(/HTTP\/1\.1 100 Continue\r\n\r\n/);
      expect(interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n")).toBe(true);
      client.write("0123456789");
      const text = await client.waitFor(/got 10 expect=none/);
      expect(text).toMatch(/\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
      expect(upstream.seen.at(-1)!.body.toString()).toBe("0123456789");
    } finally {
      client.close();
    }
  });
});
