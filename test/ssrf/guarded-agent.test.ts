import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { interceptors, request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGuardedAgent, GATEHOUSE_SSRF_REFUSED } from "../../functions/adapters/upstream/ssrf/index.ts";
import { fakeDns } from "./support/fake-dns.ts";
import { loopbackRecordingDialer } from "./support/recording-dialer.ts";

// Real loopback servers only; every name is answered by an injected lookup.
let upstream: Server;
let proxy: Server;
let upstreamPort = 0;
let proxyHits = 0;
let closeNext = false;
const sockets = new Set<string>();

beforeAll(async () => {
  upstream = createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    if (req.url === "/redirect") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/", "content-length": "0" });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", ...(closeNext ? { connection: "close" } : {}) });
    res.end("ok");
  });
  proxy = createServer((_req, res) => {
    proxyHits += 1;
    res.writeHead(599).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});
afterEach(() => {
  closeNext = false;
  sockets.clear();
});

describe("createGuardedAgent", () => {
  it("reaches a loopback upstream only when the endpoint opened loopback on purpose", async () => {
    const dns = fakeDns({ "upstream.test": ["127.0.0.1"] });
    const closed = createGuardedAgent({ lookup: dns.lookup });
    await expect(request(`http://upstream.test:${upstreamPort}/`, { dispatcher: closed })).rejects.toMatchObject({
      code: GATEHOUSE_SSRF_REFUSED,
      rule: "dns->ipv4:loopback",
    });
    await closed.close();

    const dialer = loopbackRecordingDialer();
    const open = createGuardedAgent({ lookup: dns.lookup, dial: dialer.dial, allow: ["127.0.0.1/32"] });
    const response = await request(`http://upstream.test:${upstreamPort}/`, { dispatcher: open });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe("ok");
    expect(dialer.dials).toMatchObject([{ hostname: "127.0.0.1", servername: "upstream.test" }]);
    await open.close();
  });

  it("reuses a pooled connection without a new check, and checks every new connection again", async () => {
    // First answer is the loopback upstream (opened on purpose); the name then rebinds to a private address.
    const dns = fakeDns({ "pool.test": ["127.0.0.1"] }, { "pool.test": ["10.0.0.9"] });
    const dialer = loopbackRecordingDialer();
    // One socket per origin, so reuse is deterministic (otherwise undici may open a second one early).
    const agent = createGuardedAgent({ lookup: dns.lookup, dial: dialer.dial, allow: ["127.0.0.1/32"], connections: 1 });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await request(`http://pool.test:${upstreamPort}/`, { dispatcher: agent });
        await response.body.dump();
      }
      expect(dialer.dials).toHaveLength(1);
      expect(dns.asked).toEqual(["pool.test"]);

      closeNext = true; // the upstream closes this connection; the next request needs a new socket
      const last = await request(`http://pool.test:${upstreamPort}/`, { dispatcher: agent });
      await last.body.dump();
      closeNext = false;

      await expect(request(`http://pool.test:${upstreamPort}/`, { dispatcher: agent })).rejects.toMatchObject({
        code: GATEHOUSE_SSRF_REFUSED,
        rule: "dns->ipv4:rfc1918",
        addresses: ["10.0.0.9"],
      });
      expect(dns.asked).toEqual(["pool.test", "pool.test"]);
      expect(dialer.addresses).toEqual(["127.0.0.1"]);
    } finally {
      await agent.close();
    }
  });

  it("relays a redirect to cloud metadata instead of following it", async () => {
    const dialer = loopbackRecordingDialer();
    const agent = createGuardedAgent({ lookup: fakeDns({}).lookup, dial: dialer.dial, allow: ["127.0.0.1/32"] });
    try {
      const response = await request(`http://127.0.0.1:${upstreamPort}/redirect`, { dispatcher: agent });
      await response.body.dump();
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe("http://169.254.169.254/latest/meta-data/");
      expect(dialer.addresses).toEqual(["127.0.0.1"]);
    } finally {
      await agent.close();
    }
  });

  it("refuses the hop even if a redirect-following interceptor is composed on top", async () => {
    const dialer = loopbackRecordingDialer();
    const agent = createGuardedAgent({ lookup: fakeDns({}).lookup, dial: dialer.dial, allow: ["127.0.0.1/32"] });
    const following = agent.compose(interceptors.redirect({ maxRedirections: 2 }));
    try {
      await expect(request(`http://127.0.0.1:${upstreamPort}/redirect`, { dispatcher: following })).rejects.toMatchObject({
        code: GATEHOUSE_SSRF_REFUSED,
        rule: "ipv4:link-local",
      });
      expect(dialer.addresses).toEqual(["127.0.0.1"]);
    } finally {
      await agent.close();
    }
  });

  it("ignores HTTP_PROXY and HTTPS_PROXY", async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, HTTPS_PROXY: process.env.HTTPS_PROXY };
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    Object.assign(process.env, { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl, HTTPS_PROXY: proxyUrl });
    const dialer = loopbackRecordingDialer();
    const agent = createGuardedAgent({ lookup: fakeDns({}).lookup, dial: dialer.dial, allow: ["127.0.0.1/32"] });
    try {
      const response = await request(`http://127.0.0.1:${upstreamPort}/`, { dispatcher: agent });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
      expect(proxyHits).toBe(0);
      expect(dialer.dials).toMatchObject([{ hostname: "127.0.0.1", port: String(upstreamPort) }]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await agent.close();
    }
  });

  it("dials for real through the default dialer (loopback), verifying the peer address", async () => {
    const agent = createGuardedAgent({ lookup: fakeDns({ "real.test": ["127.0.0.1"] }).lookup, allow: ["127.0.0.1/32"] });
    try {
      const response = await request(`http://real.test:${upstreamPort}/`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await agent.close();
    }
  });
});
