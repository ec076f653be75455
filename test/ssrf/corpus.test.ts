import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkUpstreamUrlStatic, classifyAnswer, normalizeIpLiteral, parseIp, formatIp } from "../../schema/ssrf/index.ts";
import { checkUrl, createDnsCache, createGuardedAgent, createGuardedConnector, GATEHOUSE_SSRF_REFUSED } from "../../functions/adapters/upstream/ssrf/index.ts";
import { bareHost, corpus, expectedCode, isUrlLevelRule, type CorpusCase } from "./support/corpus.ts";
import { fakeDns } from "./support/fake-dns.ts";
import { connectOnce, loopbackRecordingDialer, recordingDialer, undiciConnectOptions } from "./support/recording-dialer.ts";

/*
 * Every case of test/fixtures/ssrf/corpus.json, through every layer that can decide it:
 * - checkUpstreamUrlStatic (definition time, no DNS),
 * - checkUrl (one-shot check with the case's DNS answer injected),
 * - the guarded undici connector with a recording dialer (request time),
 * - rebinding cases: the address actually dialled, and the refusal of the rebound answer,
 * - redirect cases: a loopback upstream answering the 3xx, through the guarded agent.
 *
 * One deliberate difference from the corpus's `rule` field: cloud metadata host names
 * (metadata.google.internal, ...) are refused by name before DNS (`name:cloud-metadata`),
 * where the corpus expects the later DNS rule to decide. For those cases we assert the name
 * rule and, separately, that the DNS answer alone would be refused with the corpus's rule.
 */

const blocked = corpus.filter((c) => c.expect === "block" && !c.redirect);
const allowed = corpus.filter((c) => c.expect === "allow");
const redirects = corpus.filter((c) => c.redirect);
const rebinding = corpus.filter((c) => c.rebindsTo);
const configThenRequest = corpus.filter((c) => c.configResolvesTo);
const hostLevel = corpus.filter((c) => !c.redirect && !isUrlLevelRule(c.rule) && parsesAsHttp(c.input));

function parsesAsHttp(input: string): boolean {
  try {
    const url = new URL(input);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** The host name WHATWG gives for the case's input (falling back to its `whatwgHost`). */
function hostOf(c: CorpusCase): string {
  try {
    return bareHost(new URL(c.input).hostname);
  } catch {
    return c.whatwgHost ? bareHost(c.whatwgHost) : "";
  }
}

/** The case's DNS: `resolvesTo` for the first lookup of its host, `rebindsTo` for later ones. */
function dnsFor(c: CorpusCase, answers: readonly string[] | undefined = c.resolvesTo) {
  const host = hostOf(c);
  return fakeDns(answers ? { [host]: answers } : {}, c.rebindsTo ? { [host]: c.rebindsTo } : {});
}

/** True when the guard refused a metadata name before DNS where the corpus expects DNS to decide. */
function isMetadataNameFirst(c: CorpusCase, rule: string): boolean {
  return rule === "name:cloud-metadata" && c.rule.startsWith("dns->");
}

/** The canonical address the guard dials first for an allowed case. */
function firstAddress(c: CorpusCase): string {
  const literal = normalizeIpLiteral(hostOf(c));
  if (literal) return literal;
  return formatIp(parseIp(c.resolvesTo![0]!)!);
}

function expectRefusal(c: CorpusCase, result: { code: string; rule: string }): void {
  if (isMetadataNameFirst(c, result.rule)) {
    expect(result.code).toBe("SSRF_BLOCKED_NAME");
    const answerVerdict = classifyAnswer((c.resolvesTo ?? []).map((address) => ({ address })));
    expect(answerVerdict).toMatchObject({ blocked: true, rule: c.rule });
    return;
  }
  expect(result.rule).toBe(c.rule);
  expect(result.code).toBe(expectedCode(c.rule));
}

describe("corpus: definition-time check (no DNS)", () => {
  it.each(corpus.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const refusal = checkUpstreamUrlStatic(c.input);
    const decidedWithoutDns = c.expect === "block" && !c.redirect && !c.rule.startsWith("dns") && c.phase !== "request";
    if (decidedWithoutDns) {
      expect(refusal).not.toBeNull();
      expectRefusal(c, refusal!);
    } else if (refusal) {
      // Only a metadata host name may be refused before its DNS answer is known.
      expect(isMetadataNameFirst(c, refusal.rule)).toBe(true);
      expectRefusal(c, refusal);
    } else {
      expect(refusal).toBeNull();
    }
  });
});

describe("corpus: checkUrl with the case's DNS answer", () => {
  it.each(blocked.map((c) => [c.id, c] as const))("blocks %s", async (_id, c) => {
    const dns = dnsFor(c);
    const result = await checkUrl(c.input, { lookup: dns.lookup });
    expect(result.allowed).toBe(false);
    if (result.allowed) return;
    expectRefusal(c, result);
    expect(result.reason.length).toBeGreaterThan(0);
  });

  it.each([...allowed, ...redirects].map((c) => [c.id, c] as const))("allows %s", async (_id, c) => {
    const dns = dnsFor(c);
    const result = await checkUrl(c.input, { lookup: dns.lookup });
    expect(result).toMatchObject({ allowed: true });
    if (!result.allowed) return;
    const expected = c.resolvesTo?.map((address) => formatIp(parseIp(address)!)) ?? [firstAddress(c)];
    expect(result.addresses.map((entry) => entry.address)).toEqual(expected);
    expect(dns.asked.length).toBe(c.resolvesTo ? 1 : 0);
  });
});

describe("corpus: guarded connector (request time, recording dialer)", () => {
  it.each(hostLevel.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const dns = dnsFor(c);
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial });
    const { error } = await connectOnce(connector, undiciConnectOptions(c.input));
    if (c.expect === "block") {
      expect(error?.code).toBe(GATEHOUSE_SSRF_REFUSED);
      expectRefusal(c, { code: String(error!.guardCode), rule: String(error!.rule) });
      expect(dialer.dials).toHaveLength(0);
      return;
    }
    expect(error).toBeNull();
    expect(dialer.addresses).toEqual([c.mustConnectTo ? formatIp(parseIp(c.mustConnectTo)!) : firstAddress(c)]);
    const url = new URL(c.input);
    const isName = normalizeIpLiteral(url.hostname) === null;
    expect(dialer.dials[0]!.servername).toBe(isName ? url.hostname.replace(/\.$/, "") : undefined);
  });
});

describe("corpus: DNS rebinding", () => {
  it.each(rebinding.map((c) => [c.id, c] as const))("%s dials only the checked address", async (_id, c) => {
    const dns = dnsFor(c);
    const dialer = recordingDialer();
    const refusals: unknown[] = [];
    const connector = createGuardedConnector({ lookup: dns.lookup, dial: dialer.dial, onRefusal: (e) => refusals.push(e) });
    const options = undiciConnectOptions(c.input);

    const first = await connectOnce(connector, options);
    const firstVerdict = classifyAnswer(c.resolvesTo!.map((address) => ({ address })));
    if (c.expect === "allow") {
      expect(first.error).toBeNull();
      expect(dialer.addresses).toEqual([formatIp(parseIp(c.mustConnectTo ?? c.resolvesTo![0]!)!)]);
      // One lookup, and the dialer got an IP: net/tls has nothing left to resolve (no second lookup).
      expect(dns.asked).toHaveLength(1);
      expect(parseIp(dialer.dials[0]!.hostname)).not.toBeNull();
      expect(dialer.dials[0]!.servername).toBe(hostOf(c));
    } else {
      expect(first.error?.code).toBe(GATEHOUSE_SSRF_REFUSED);
      expect(first.error?.rule).toBe(c.rule);
      expect(dialer.dials).toHaveLength(0);
    }

    // A new pooled connection resolves again; the rebound answer is checked before any dial.
    const second = await connectOnce(connector, options);
    const rebound = classifyAnswer(c.rebindsTo!.map((address) => ({ address })));
    if (rebound.blocked) {
      expect(second.error?.code).toBe(GATEHOUSE_SSRF_REFUSED);
      expect(second.error?.rule).toBe(rebound.rule);
      expect(second.error?.addresses).toEqual(c.rebindsTo);
      expect(refusals.at(-1)).toBe(second.error);
    } else {
      expect(second.error).toBeNull();
    }
    if (rebound.blocked) {
      for (const address of c.rebindsTo!) expect(dialer.addresses).not.toContain(formatIp(parseIp(address)!));
    }
    expect(firstVerdict.blocked).toBe(c.expect === "block");
  });

  it.each(rebinding.filter((c) => c.expect === "allow").map((c) => [c.id, c] as const))(
    "%s through the DNS cache: the cached answer is re-checked, the expired one re-resolved",
    async (_id, c) => {
      const dns = dnsFor(c);
      let now = 0;
      const cache = createDnsCache({ lookup: dns.lookup, maxTtlMs: 30_000, now: () => now });
      const dialer = recordingDialer();
      const connector = createGuardedConnector({ lookup: cache.lookup, dial: dialer.dial });
      const options = undiciConnectOptions(c.input);
      expect((await connectOnce(connector, options)).error).toBeNull();
      now = 29_999;
      expect((await connectOnce(connector, options)).error).toBeNull();
      now = 30_000;
      const third = await connectOnce(connector, options);
      const rebound = classifyAnswer(c.rebindsTo!.map((address) => ({ address })));
      const mustConnectTo = formatIp(parseIp(c.mustConnectTo ?? c.resolvesTo![0]!)!);
      expect(dialer.addresses.slice(0, 2)).toEqual([mustConnectTo, mustConnectTo]);
      expect(dns.asked).toHaveLength(2);
      if (rebound.blocked) {
        expect(third.error?.code).toBe(GATEHOUSE_SSRF_REFUSED);
        expect(third.error?.rule).toBe(rebound.rule);
        expect(dialer.addresses).toHaveLength(2);
      } else {
        expect(third.error).toBeNull();
      }
    },
  );

  it.each(configThenRequest.map((c) => [c.id, c] as const))("%s: allowed at definition time, decided again at request time", async (_id, c) => {
    const atConfig = await checkUrl(c.input, { lookup: dnsFor(c, c.configResolvesTo).lookup });
    expect(atConfig.allowed).toBe(true);
    const dialer = recordingDialer();
    const connector = createGuardedConnector({ lookup: dnsFor(c).lookup, dial: dialer.dial });
    const { error } = await connectOnce(connector, undiciConnectOptions(c.input));
    if (c.expect === "block") {
      expect(error?.code).toBe(GATEHOUSE_SSRF_REFUSED);
      expect(error?.rule).toBe(c.rule);
      expect(dialer.dials).toHaveLength(0);
    } else {
      expect(error).toBeNull();
    }
  });
});

describe("corpus: redirects are relayed, never followed (loopback upstream, guarded agent)", () => {
  let server: Server;
  let port = 0;
  let hits: string[] = [];
  let current: CorpusCase | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? "");
      const redirect = current!.redirect!;
      res.writeHead(redirect.status, { location: redirect.location, "content-length": "0" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(redirects.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    current = c;
    hits = [];
    const upstream = new URL(c.input);
    // An IP-literal upstream is replaced by the loopback server's own address.
    const host = normalizeIpLiteral(upstream.hostname) ? "127.0.0.1" : upstream.hostname;
    const location = c.redirect!.location;
    const locationHost = parsesAsHttp(location) ? new URL(location).hostname : null;
    const locationAnswers = locationHost && locationHost !== host ? c.redirect!.locationResolvesTo : undefined;
    const dns = fakeDns({ ...(locationAnswers ? { [locationHost!]: locationAnswers } : {}), [host]: ["127.0.0.1"] });
    const dialer = loopbackRecordingDialer();
    // The loopback upstream is opened on purpose, the way a test or a local demo would.
    const agent = createGuardedAgent({ lookup: dns.lookup, dial: dialer.dial, allow: ["127.0.0.1/32"] });
    try {
      const response = await request(`http://${host}:${port}${upstream.pathname}${upstream.search}`, { dispatcher: agent });
      await response.body.dump();
      expect(response.statusCode).toBe(c.redirect!.status);
      expect(response.headers.location).toBe(location);
    } finally {
      await agent.close();
    }
    expect(hits).toEqual([`${upstream.pathname}${upstream.search}`]);
    expect(dialer.addresses).toEqual(["127.0.0.1"]);
    const locationAddresses = locationHost
      ? normalizeIpLiteral(locationHost)
        ? [normalizeIpLiteral(locationHost)!]
        : (c.redirect!.locationResolvesTo ?? [])
      : [];
    for (const address of locationAddresses.filter((a) => a !== "127.0.0.1")) expect(dialer.addresses).not.toContain(address);
    expect(dns.asked.filter((name) => name === locationHost && locationHost !== host)).toEqual([]);
  });
});
