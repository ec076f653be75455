import { describe, expect, it } from "vitest";
import { validateAllowance } from "../../schema/ssrf/index.ts";

describe("validateAllowance", () => {
  it.each([
    "10.1.0.0/16",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "127.0.0.1",
    "::1/128",
    "fd12:3456::/32",
    "169.254.1.0/24",
    "100.64.0.0/16",
    "::ffff:10.0.0.0/104",
    "64:ff9b::a00:0/104",
  ])("accepts %s", (cidr) => {
    expect(validateAllowance(cidr)).toBeNull();
  });

  it.each([
    ["0.0.0.0/0", "169.254.169.0/24"],
    ["169.254.0.0/16", "169.254.169.0/24"],
    ["169.254.169.254/32", "169.254.169.0/24"],
    ["169.254.170.0/23", "169.254.170.0/24"],
    ["100.64.0.0/10", "100.100.100.200/32"],
    ["168.63.0.0/16", "168.63.129.16/32"],
    ["192.0.0.0/24", "192.0.0.192/32"],
    ["fd00::/8", "fd00:ec2::/64"],
    ["fc00::/7", "fd00:ec2::/64"],
    ["fd20:ce::/32", "fd20:ce::254/128"],
    ["::/0", "169.254.169.0/24"], // reported through the mapped wrapping first
    ["fd00:ec2::/32", "fd00:ec2::/64"],
    ["::ffff:0:0/96", "169.254.169.0/24"],
    ["::ffff:a9fe:0/112", "169.254.169.0/24"],
    ["64:ff9b::/96", "169.254.169.0/24"],
    ["::/96", "169.254.169.0/24"],
    ["2002::/16", "169.254.169.0/24"],
    ["2002:a9fe:a9fe::/48", "169.254.169.0/24"],
  ])("refuses %s, which covers metadata %s", (cidr, covered) => {
    const problem = validateAllowance(cidr);
    expect(problem).toContain(covered);
    expect(problem).toContain("can never be allowed");
  });

  it.each([
    ["10.1.0.1/16", "host bits set"],
    ["10.1.0.0/40", "invalid prefix length"],
    ["localhost", "not a CIDR block"],
    ["", "not a CIDR block"],
  ])("refuses malformed %j", (cidr, message) => {
    expect(validateAllowance(cidr)).toContain(message);
  });
});
