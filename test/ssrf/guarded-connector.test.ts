import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createGuardedConnector, GATEHOUSE_SSRF_REFUSED, SsrfRefusedError, type Dialer } from "../../functions/adapters/upstream/ssrf/index.ts";
import { verifyPeerDialer } from "../../functions/adapters/upstream/ssrf/verify-peer-dialer.ts";
import { fakeDns } from "./support/fake-dns.ts";
import { connectOnce, recordingDialer, undiciConnectOptions } from "./support/recording-dialer.ts";

describe("createGuardedConnector", () => {
  it("dials the checked IP with the original name as TLS server name and no second lookup", async () => {
    const dns = fakeDns({ "api.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial });
    const { error } = await connectOnce(connector, undiciConnectOptions("https://api.example.com:8443/v1"));
    expect(error).toBeNull();
    expect(dialer.dials).toEqual([{ hostname: "93.184.215.14", host: "93.184.215.14:8443", protocol: "https:", port: "8443", servername: "api.example.com" }]);
    expect(dns.asked).toEqual(["api.example.com"]);
  });

  it("brackets an IPv6 address in host and strips a trailing dot from the server name", async () => {
    const dns = fakeDns({ "example.com": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial });
    await connectOnce(connector, undiciConnectOptions("https://example.com./"));
    expect(dialer.dials[0]).toMatchObject({
      hostname: "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
      host: "[2606:2800:21f:cb07:6820:80da:af6b:8b2c]",
      servername: "example.com",
    });
    expect(dns.asked).toEqual(["example.com."]);
  });

  it("keeps a server name undici chose, and sets none for an IP-literal URL", async () => {
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: fakeDns({ "a.example": ["8.8.8.8"] }).lookup, dial: dialer.dial });
    await connectOnce(connector, { ...undiciConnectOptions("https://a.example/"), servername: "a.example" });
    await connectOnce(connector, undiciConnectOptions("https://[2606:4700:4700::1111]/"));
    expect(dialer.dials[0]!.servername).toBe("a.example");
    expect(dialer.dials[1]).toEqual({ hostname: "2606:4700:4700::1111", host: "[2606:4700:4700::1111]", protocol: "https:", port: "" });
  });

  it("refuses with a typed error carrying rule, reason and every answer, and reports it", async () => {
    const dns = fakeDns({ "mixed.example": ["8.8.8.8", "10.0.0.7"] });
    const dialer = recordingDialer();
    const seen: SsrfRefusedError[] = [];
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial, onRefusal: (e) => seen.push(e) });
    const { error } = await connectOnce(connector, undiciConnectOptions("http://mixed.example/"));
    expect(error).toBeInstanceOf(SsrfRefusedError);
    expect(error).toMatchObject({
      code: GATEHOUSE_SSRF_REFUSED,
      guardCode: "SSRF_DNS_BLOCKED",
      rule: "dns->ipv4:rfc1918",
      hostname: "mixed.example",
      addresses: ["8.8.8.8", "10.0.0.7"],
    });
    expect(String(error!.reason)).toContain("10.0.0.7 is in 10.0.0.0/8");
    expect(seen).toEqual([error]);
    expect(dialer.dials).toHaveLength(0);
  });

  it("tries the next checked address when one fails to connect", async () => {
    const dns = fakeDns({ "dual.example": ["2606:4700::1111", "1.1.1.1"] });
    const dialled: string[] = [];
    const flaky: Dialer = (options, callback) => {
      dialled.push(options.hostname);
      if (options.hostname.includes(":")) callback(Object.assign(new Error("unreachable"), { code: "ENETUNREACH" }), null);
      else recordingDialer().dial(options, callback);
    };
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: flaky });
    const { error } = await connectOnce(connector, undiciConnectOptions("https://dual.example/"));
    expect(error).toBeNull();
    expect(dialled).toEqual(["2606:4700::1111", "1.1.1.1"]);
  });

  it("does not try further addresses after a connect timeout, and passes the error on", async () => {
    const dns = fakeDns({ "slow.example": ["1.1.1.1", "1.0.0.1"] });
    const dialled: string[] = [];
    const timingOut: Dialer = (options, callback) => {
      dialled.push(options.hostname);
      callback(Object.assign(new Error("connect timeout"), { code: "UND_ERR_CONNECT_TIMEOUT" }), null);
    };
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: timingOut });
    const { error } = await connectOnce(connector, undiciConnectOptions("https://slow.example/"));
    expect(error?.code).toBe("UND_ERR_CONNECT_TIMEOUT");
    expect(dialled).toEqual(["1.1.1.1"]);
  });

  it("opens a declared private network, and nothing else", async () => {
    const dns = fakeDns({ "billing.internal.example": ["10.1.4.20"], "other.internal.example": ["10.2.0.1"] });
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial, allow: ["10.1.0.0/16"] });
    expect((await connectOnce(connector, undiciConnectOptions("http://billing.internal.example/"))).error).toBeNull();
    const other = await connectOnce(connector, undiciConnectOptions("http://other.internal.example/"));
    expect(other.error).toMatchObject({ code: GATEHOUSE_SSRF_REFUSED, rule: "dns->ipv4:rfc1918" });
    expect(dialer.addresses).toEqual(["10.1.4.20"]);
  });

  it("refuses to be built with an allowance that covers cloud metadata", () => {
    expect(() => createGuardedConnector({ allow: ["169.254.0.0/16"] })).toThrow(/can never be allowed/);
  });

  it.each([
    ["ENOTFOUND", "dns:no-answer"],
    ["ESERVFAIL", "dns:error"],
  ])("fails closed when the resolver rejects with %s", async (code, rule) => {
    const dialer = recordingDialer();
    const connector = createGuardedConnector({
      lookup: async () => Promise.reject(Object.assign(new Error(code), { code })),
      dial: dialer.dial,
    });
    const { error } = await connectOnce(connector, undiciConnectOptions("https://a.example/"));
    expect(error).toMatchObject({ code: GATEHOUSE_SSRF_REFUSED, guardCode: "SSRF_UNRESOLVED", rule });
    expect(dialer.dials).toHaveLength(0);
  });

  it("fails closed when the resolver does not answer in time", async () => {
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: () => new Promise(() => {}), dial: dialer.dial, dnsTimeoutMs: 20 });
    const { error } = await connectOnce(connector, undiciConnectOptions("https://hang.example/"));
    expect(error).toMatchObject({ code: GATEHOUSE_SSRF_REFUSED, guardCode: "SSRF_UNRESOLVED", rule: "dns:timeout" });
    expect(dialer.dials).toHaveLength(0);
  });

  it("refuses names before any lookup: localhost, metadata names and invalid names", async () => {
    const dns = fakeDns({ localhost: ["127.0.0.1"], "metadata.goog": ["169.254.169.254"] });
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial });
    for (const [url, rule] of [
      ["http://localhost/", "name:localhost"],
      ["http://app.localhost/", "name:localhost"],
      ["http://metadata.goog/", "name:cloud-metadata"],
      ["http://METADATA/", "name:cloud-metadata"],
      ["http://a..b/", "name:invalid"],
    ] as const) {
      const { error } = await connectOnce(connector, undiciConnectOptions(url));
      expect(error?.rule, url).toBe(rule);
    }
    expect(dns.asked).toEqual([]);
    expect(dialer.dials).toHaveLength(0);
  });

  it("lets an allowance that opens loopback reach localhost names, still checking the answer", async () => {
    const dns = fakeDns({ localhost: ["127.0.0.1", "::1"] });
    const dialer = recordingDialer();
    const v4only = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial, allow: ["127.0.0.0/8"] });
    expect((await connectOnce(v4only, undiciConnectOptions("http://localhost:8080/"))).error?.rule).toBe("dns->ipv6:loopback");
    const both = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial, allow: ["127.0.0.0/8", "::1/128"] });
    expect((await connectOnce(both, undiciConnectOptions("http://localhost:8080/"))).error).toBeNull();
    expect(dialer.addresses).toEqual(["127.0.0.1"]);
  });

  it("refuses unix sockets and non-http protocols", async () => {
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: fakeDns({}).lookup, dial: dialer.dial });
    const viaSocket = await connectOnce(connector, { ...undiciConnectOptions("http://8.8.8.8/"), socketPath: "/var/run/docker.sock" });
    expect(viaSocket.error).toMatchObject({ code: GATEHOUSE_SSRF_REFUSED, rule: "transport:unix-socket" });
    const ws = await connectOnce(connector, { ...undiciConnectOptions("http://8.8.8.8/"), protocol: "ws:" });
    expect(ws.error).toMatchObject({ code: GATEHOUSE_SSRF_REFUSED, rule: "scheme:not-http(s)" });
    expect(dialer.dials).toHaveLength(0);
  });
});

describe("verifyPeerDialer", () => {
  const peerSays =
    (remoteAddress: string): Dialer =>
    (_options, callback) => {
      const socket = new Socket();
      Object.defineProperty(socket, "remoteAddress", { value: remoteAddress });
      callback(null, socket);
    };

  it("destroys a socket whose peer is not the checked address", async () => {
    const { error } = await connectOnce(verifyPeerDialer(peerSays("127.0.0.1")), undiciConnectOptions("http://8.8.8.8/"));
    expect(error?.message).toBe("connected to 127.0.0.1, not the checked 8.8.8.8");
  });

  it("accepts the checked peer, also in IPv4-mapped spelling", async () => {
    expect((await connectOnce(verifyPeerDialer(peerSays("8.8.8.8")), undiciConnectOptions("http://8.8.8.8/"))).error).toBeNull();
    expect((await connectOnce(verifyPeerDialer(peerSays("::ffff:8.8.8.8")), undiciConnectOptions("http://8.8.8.8/"))).error).toBeNull();
    const v6 = await connectOnce(verifyPeerDialer(peerSays("2606:4700::1111")), undiciConnectOptions("http://[2606:4700:0::1111]/"));
    expect(v6.error).toBeNull();
  });
});
