import { describe, expect, it } from "vitest";
import { classifyAddress, classifyAnswer, parseCidr, type AddressVerdict } from "../../schema/ssrf/index.ts";

/** The rule an address is refused by, or "allowed". */
function ruleOf(ip: string, allow?: readonly string[]): string {
  const verdict: AddressVerdict = classifyAddress(ip, allow ? { allow } : {});
  return verdict.blocked ? verdict.rule : "allowed";
}

// Each row: the address just below a range, its first and last address, and the one just above.
const ipv4Boundaries: Array<[string, string]> = [
  ["0.0.0.0", "ipv4:this-network"],
  ["0.255.255.255", "ipv4:this-network"],
  ["1.0.0.0", "allowed"],
  ["9.255.255.255", "allowed"],
  ["10.0.0.0", "ipv4:rfc1918"],
  ["10.255.255.255", "ipv4:rfc1918"],
  ["11.0.0.0", "allowed"],
  ["100.63.255.255", "allowed"],
  ["100.64.0.0", "ipv4:cgnat"],
  ["100.127.255.255", "ipv4:cgnat"],
  ["100.128.0.0", "allowed"],
  ["126.255.255.255", "allowed"],
  ["127.0.0.0", "ipv4:loopback"],
  ["127.255.255.255", "ipv4:loopback"],
  ["128.0.0.0", "allowed"],
  ["168.63.129.15", "allowed"],
  ["168.63.129.16", "ipv4:azure-wireserver"],
  ["168.63.129.17", "allowed"],
  ["169.253.255.255", "allowed"],
  ["169.254.0.0", "ipv4:link-local"],
  ["169.254.255.255", "ipv4:link-local"],
  ["169.255.0.0", "allowed"],
  ["172.15.255.255", "allowed"],
  ["172.16.0.0", "ipv4:rfc1918"],
  ["172.31.255.255", "ipv4:rfc1918"],
  ["172.32.0.0", "allowed"],
  ["191.255.255.255", "allowed"],
  ["192.0.0.0", "ipv4:ietf-protocol-assignments"],
  ["192.0.0.255", "ipv4:ietf-protocol-assignments"],
  ["192.0.1.0", "allowed"],
  ["192.0.1.255", "allowed"],
  ["192.0.2.0", "ipv4:documentation"],
  ["192.0.2.255", "ipv4:documentation"],
  ["192.0.3.0", "allowed"],
  ["192.88.98.255", "allowed"],
  ["192.88.99.0", "ipv4:6to4-relay"],
  ["192.88.99.255", "ipv4:6to4-relay"],
  ["192.88.100.0", "allowed"],
  ["192.167.255.255", "allowed"],
  ["192.168.0.0", "ipv4:rfc1918"],
  ["192.168.255.255", "ipv4:rfc1918"],
  ["192.169.0.0", "allowed"],
  ["198.17.255.255", "allowed"],
  ["198.18.0.0", "ipv4:benchmarking"],
  ["198.19.255.255", "ipv4:benchmarking"],
  ["198.20.0.0", "allowed"],
  ["198.51.99.255", "allowed"],
  ["198.51.100.0", "ipv4:documentation"],
  ["198.51.100.255", "ipv4:documentation"],
  ["198.51.101.0", "allowed"],
  ["203.0.112.255", "allowed"],
  ["203.0.113.0", "ipv4:documentation"],
  ["203.0.113.255", "ipv4:documentation"],
  ["203.0.114.0", "allowed"],
  ["223.255.255.255", "allowed"],
  ["224.0.0.0", "ipv4:multicast"],
  ["239.255.255.255", "ipv4:multicast"],
  ["240.0.0.0", "ipv4:reserved-and-broadcast"],
  ["255.255.255.254", "ipv4:reserved-and-broadcast"],
  ["255.255.255.255", "ipv4:reserved-and-broadcast"],
  // Globally reachable special-purpose ranges stay open (AS112, AMT, anycast 192.0.0.9 is inside 192.0.0.0/24 and refused).
  ["192.31.196.1", "allowed"],
  ["192.175.48.1", "allowed"],
  ["192.52.193.1", "allowed"],
];

const ipv6Boundaries: Array<[string, string]> = [
  ["::", "ipv6:unspecified"],
  ["::1", "ipv6:loopback"],
  ["::2", "ipv6:ipv4-compatible"],
  ["::ffff:ffff", "ipv6:ipv4-compatible"],
  ["::1:0:0", "ipv6:not-global-unicast"],
  ["::fffe:ffff:ffff", "ipv6:not-global-unicast"],
  ["::ffff:0:0", "ipv4-mapped->ipv4:this-network"],
  ["::ffff:8.8.8.8", "allowed"],
  ["::ffff:169.254.169.254", "ipv4-mapped->ipv4:link-local"],
  ["::ffff:ffff:ffff", "ipv4-mapped->ipv4:reserved-and-broadcast"],
  ["0:0:0:0:0:ffff:100.64.0.1", "ipv4-mapped->ipv4:cgnat"],
  ["::1:0:0:0", "ipv6:not-global-unicast"],
  ["::ffff:0:0:0", "ipv6:siit"],
  ["::ffff:0:808:808", "ipv6:siit"],
  ["::ffff:0:ffff:ffff", "ipv6:siit"],
  ["64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:not-global-unicast"],
  ["64:ff9b::", "nat64->ipv4:this-network"],
  ["64:ff9b::808:808", "allowed"],
  ["64:ff9b::a9fe:a9fe", "nat64->ipv4:link-local"],
  ["64:ff9b::c0a8:1", "nat64->ipv4:rfc1918"],
  ["64:ff9b::ffff:ffff", "nat64->ipv4:reserved-and-broadcast"],
  ["64:ff9b::1:0:0", "ipv6:not-global-unicast"],
  ["64:ff9b:1::", "ipv6:nat64-local-use"],
  ["64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "ipv6:nat64-local-use"],
  ["64:ff9b:2::", "ipv6:not-global-unicast"],
  ["64:ff9c::1", "ipv6:not-global-unicast"],
  ["100::", "ipv6:discard"],
  ["100::ffff:ffff:ffff:ffff", "ipv6:discard"],
  ["100:0:0:1::", "ipv6:dummy-prefix"],
  ["100:0:0:1:ffff:ffff:ffff:ffff", "ipv6:dummy-prefix"],
  ["100:0:0:2::", "ipv6:not-global-unicast"],
  ["1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:not-global-unicast"],
  ["2000::", "allowed"],
  ["2001::", "ipv6:teredo"],
  ["2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:teredo"],
  ["2001:1::1", "ipv6:ietf-protocol-assignments"],
  ["2001:2::", "ipv6:benchmarking"],
  ["2001:2:0:ffff:ffff:ffff:ffff:ffff", "ipv6:benchmarking"],
  ["2001:2:1::", "ipv6:ietf-protocol-assignments"],
  ["2001:10::1", "ipv6:ietf-protocol-assignments"],
  ["2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:ietf-protocol-assignments"],
  ["2001:200::", "allowed"],
  ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "allowed"],
  ["2001:db8::", "ipv6:documentation"],
  ["2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:documentation"],
  ["2001:db9::", "allowed"],
  ["2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "allowed"],
  ["2002::", "ipv6:6to4"],
  ["2002:808:808::1", "ipv6:6to4"],
  ["2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:6to4"],
  ["2003::", "allowed"],
  ["3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "allowed"],
  ["3fff::", "ipv6:documentation"],
  ["3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:documentation"],
  ["3fff:1000::", "allowed"],
  ["3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "allowed"],
  ["4000::", "ipv6:not-global-unicast"],
  ["5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:not-global-unicast"],
  ["5f00::", "ipv6:segment-routing"],
  ["5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:segment-routing"],
  ["5f01::", "ipv6:not-global-unicast"],
  ["fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:not-global-unicast"],
  ["fc00::", "ipv6:unique-local"],
  ["fd00:ec2::254", "ipv6:unique-local"],
  ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:unique-local"],
  ["fe00::", "ipv6:not-global-unicast"],
  ["fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:not-global-unicast"],
  ["fe80::", "ipv6:link-local"],
  ["febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:link-local"],
  ["fec0::", "ipv6:site-local"],
  ["feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:site-local"],
  ["ff00::", "ipv6:multicast"],
  ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ipv6:multicast"],
  ["2606:4700:4700::1111", "allowed"],
  ["2A04:4E42::325", "allowed"],
];

describe("classifyAddress: IPv4 range boundaries", () => {
  it.each(ipv4Boundaries)("%s -> %s", (ip, rule) => {
    expect(ruleOf(ip)).toBe(rule);
  });
});

describe("classifyAddress: IPv6 range boundaries and embedded IPv4", () => {
  it.each(ipv6Boundaries)("%s -> %s", (ip, rule) => {
    expect(ruleOf(ip)).toBe(rule);
  });
});

describe("classifyAddress: strict input only", () => {
  it.each(["127.1", "0177.0.0.1", "0x7f.0.0.1", "2130706433", "127.0.0.1.", "[::1]", "fe80::1%eth0", "", "1.2.3.4 ", "::ffff:1.2.3", "1::2::3", "localhost"])(
    "refuses %j as ip:unparseable",
    (text) => {
      expect(classifyAddress(text)).toMatchObject({ blocked: true, rule: "ip:unparseable" });
    },
  );

  it("gives a reason that names the range", () => {
    const verdict = classifyAddress("10.9.8.7");
    expect(verdict).toEqual({ blocked: true, rule: "ipv4:rfc1918", reason: "10.9.8.7 is in 10.0.0.0/8: private network (RFC 1918)" });
  });

  it("names the metadata service in the reason", () => {
    const verdict = classifyAddress("169.254.169.254");
    expect(verdict.blocked && verdict.reason).toContain("instance metadata");
  });
});

describe("classifyAddress: unsafe allowances", () => {
  const allow = ["10.1.0.0/16", "fd12:3456::/32", "127.0.0.1/32"];

  it.each([
    ["10.1.0.0", "allowed"],
    ["10.1.255.255", "allowed"],
    ["10.2.0.0", "ipv4:rfc1918"],
    ["10.0.255.255", "ipv4:rfc1918"],
    ["::ffff:10.1.2.3", "allowed"],
    ["64:ff9b::a01:203", "allowed"],
    ["fd12:3456::1", "allowed"],
    ["fd12:3457::1", "ipv6:unique-local"],
    ["127.0.0.1", "allowed"],
    ["127.0.0.2", "ipv4:loopback"],
    ["::1", "ipv6:loopback"],
    ["192.168.1.1", "ipv4:rfc1918"],
  ])("%s -> %s", (ip, rule) => {
    expect(ruleOf(ip, allow)).toBe(rule);
  });

  it("reports which allowance opened the address", () => {
    expect(classifyAddress("10.1.2.3", { allow })).toEqual({ blocked: false, allowedBy: "10.1.0.0/16" });
    expect(classifyAddress("8.8.8.8", { allow })).toEqual({ blocked: false });
  });

  it("refuses to build an allowance that covers cloud metadata", () => {
    expect(() => classifyAddress("10.0.0.1", { allow: ["0.0.0.0/0"] })).toThrow(TypeError);
    expect(() => classifyAddress("10.0.0.1", { allow: ["169.254.0.0/16"] })).toThrow(/can never be allowed/);
  });

  it("never opens a metadata address, even through a pre-parsed (unvalidated) allowance", () => {
    const wide = ["169.254.0.0/16", "100.64.0.0/10", "168.63.129.0/24", "192.0.0.0/24", "fd00::/8", "::/0"].map((text) => {
      const parsed = parseCidr(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.cidr;
    });
    for (const ip of [
      "169.254.169.254",
      "169.254.170.2",
      "169.254.170.23",
      "169.254.169.253",
      "169.254.42.42",
      "169.254.0.23",
      "100.100.100.200",
      "168.63.129.16",
      "192.0.0.192",
      "fd00:ec2::254",
      "fd00:ec2::23",
      "fd20:ce::254",
      "::ffff:169.254.169.254",
      "64:ff9b::a9fe:a9fe",
      "::a9fe:a9fe",
      "2002:a9fe:a9fe::1",
      "2001:0:4136:e378:8000:63bf:5601:5601", // Teredo, client 169.254.169.254 stored inverted
    ]) {
      const verdict = classifyAddress(ip, { allow: wide });
      expect(verdict, ip).toMatchObject({ blocked: true });
      expect(verdict.blocked && verdict.reason, ip).toContain("no allowance can open");
    }
    expect(classifyAddress("169.254.1.1", { allow: wide })).toEqual({ blocked: false, allowedBy: "169.254.0.0/16" });
    expect(classifyAddress("100.64.0.1", { allow: wide })).toEqual({ blocked: false, allowedBy: "100.64.0.0/10" });
  });

  it("keeps Teredo-wrapped metadata refused when the Teredo prefix itself is allowed", () => {
    expect(classifyAddress("2001:0:4136:e378:8000:63bf:5601:5601", { allow: ["2001::/32"] })).toMatchObject({
      blocked: true,
      rule: "ipv6:teredo",
    });
    expect(classifyAddress("2001:0:4136:e378:8000:63bf:3fff:fdd2", { allow: ["2001::/32"] })).toEqual({
      blocked: false,
      allowedBy: "2001::/32",
    });
  });
});

describe("classifyAnswer", () => {
  const answer = (...addresses: string[]) => addresses.map((address) => ({ address }));

  it("refuses the whole answer when any one address is blocked, whatever its position", () => {
    expect(classifyAnswer(answer("8.8.8.8", "8.8.4.4", "10.0.0.1"))).toMatchObject({ blocked: true, rule: "dns->ipv4:rfc1918" });
    expect(classifyAnswer(answer("fe80::1", "8.8.8.8"))).toMatchObject({ blocked: true, rule: "dns->ipv6:link-local" });
  });

  it("refuses an empty answer and any answer that is not a strict address", () => {
    expect(classifyAnswer([])).toMatchObject({ blocked: true, rule: "dns:empty-answer" });
    for (const odd of ["127.1", "fe80::1%eth0", "example.com", "", "[::1]", "08.8.8.8"]) {
      expect(classifyAnswer(answer("8.8.8.8", odd)), odd).toMatchObject({ blocked: true, rule: "dns->dns:unparseable-answer" });
    }
    expect(classifyAnswer([{ address: 42 as unknown as string }])).toMatchObject({ rule: "dns->dns:unparseable-answer" });
  });

  it("allows an all-public answer and names the allowances used", () => {
    expect(classifyAnswer(answer("8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"))).toEqual({ blocked: false });
    expect(classifyAnswer(answer("10.1.0.5", "10.1.0.6"), { allow: ["10.1.0.0/16"] })).toEqual({ blocked: false, allowedBy: "10.1.0.0/16" });
  });
});
