import { describe, expect, it } from "vitest";
import { formatIp, normalizeIpLiteral, parseCidr, parseIp, parseLegacyIpv4 } from "../../schema/ssrf/index.ts";

describe("parseIp (strict)", () => {
  it.each([
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["::", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    ["::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"],
    ["::ffff:127.0.0.1", "::ffff:7f00:1"],
    ["0:0:0:0:0:ffff:127.0.0.1", "::ffff:7f00:1"],
    ["64:ff9b::1.1.1.1", "64:ff9b::101:101"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
  ])("%s -> %s", (text, canonical) => {
    const ip = parseIp(text);
    expect(ip).not.toBeNull();
    expect(formatIp(ip!)).toBe(canonical);
  });

  it.each([
    "127.1",
    "127.0.0.01",
    "0127.0.0.1",
    "256.0.0.1",
    "1.2.3.4.5",
    "1.2.3.",
    " 1.2.3.4",
    "0x7f.0.0.1",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1::2::3",
    ":::",
    ":1::",
    "1::2:",
    "12345::",
    "::1.2.3",
    "::1.2.3.4:5",
    "1.2.3.4::",
    "1:2:3:4:5:6:7:1.2.3.4",
    "fe80::1%eth0",
    "[::1]",
    "g::1",
    "",
  ])("rejects %j", (text) => {
    expect(parseIp(text)).toBeNull();
  });
});

describe("parseLegacyIpv4 agrees with the WHATWG URL parser", () => {
  const forms = [
    "2130706433",
    "0177.0.0.1",
    "0x7f000001",
    "0x7f.0x0.0x0.0x1",
    "0x7f.1",
    "127.1",
    "0177.1",
    "0xa9fea9fe",
    "0251.00376.000251.0000376",
    "0251.254.169.254",
    "134744072",
    "0x08080808",
    "0300.0250.0.1",
    "0x0a.0.0.1",
    "0x0",
    "0",
    "127.0.0.1.",
    "1.2.3",
    "0x",
    "00",
    "4294967295",
  ];
  it.each(forms)("%s", (form) => {
    const whatwg = new URL(`http://${form}/`).hostname;
    const ip = parseLegacyIpv4(form);
    expect(ip).not.toBeNull();
    expect(formatIp(ip!)).toBe(whatwg);
  });

  it.each(["425.510.425.510", "7147006462", "0x100000000", "256.0.0.1", "1.2.3.4.5", "0x41414141A9FEA9FE", "1.256.1", "4294967296", "08.0.0.1", "0xg.1"])(
    "refuses %s, which WHATWG also refuses",
    (form) => {
      expect(parseLegacyIpv4(form)).toBeNull();
      expect(() => new URL(`http://${form}/`)).toThrow();
    },
  );

  it("treats names as names", () => {
    expect(parseLegacyIpv4("example.com")).toBeNull();
    expect(parseLegacyIpv4("1.2.3.a")).toBeNull();
  });
});

describe("normalizeIpLiteral", () => {
  it.each([
    ["[::ffff:127.0.0.1]", "::ffff:7f00:1"],
    ["0x7f.1", "127.0.0.1"],
    ["8.8.8.8", "8.8.8.8"],
    ["2001:DB8::1", "2001:db8::1"],
  ])("%s -> %s", (text, canonical) => {
    expect(normalizeIpLiteral(text)).toBe(canonical);
  });
  it.each(["example.com", "[fe80::1%25eth0]", "[1.2.3.4]", "::1]"])("%s is not a literal", (text) => {
    expect(normalizeIpLiteral(text)).toBeNull();
  });
});

describe("parseCidr", () => {
  it("parses blocks and bare addresses", () => {
    expect(parseCidr("10.1.0.0/16")).toMatchObject({ ok: true, cidr: { text: "10.1.0.0/16", prefix: 16 } });
    expect(parseCidr("10.1.2.3")).toMatchObject({ ok: true, cidr: { text: "10.1.2.3/32", prefix: 32 } });
    expect(parseCidr("FD12:3456::/32")).toMatchObject({ ok: true, cidr: { text: "fd12:3456::/32" } });
    expect(parseCidr("::/0")).toMatchObject({ ok: true, cidr: { text: "::/0", prefix: 0 } });
  });
  it.each([
    ["10.1.0.1/16", "host bits set; did you mean 10.1.0.0/16?"],
    ["10.0.0.0/33", "invalid prefix length"],
    ["10.0.0.0/08", "invalid prefix length"],
    ["10.0.0.0/", "invalid prefix length"],
    ["fd00::/129", "invalid prefix length"],
    ["10.0.0/8", "is not a CIDR block"],
    ["banana", "is not a CIDR block"],
  ])("%s is refused (%s)", (text, message) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });
});
