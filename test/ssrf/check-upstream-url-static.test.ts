import { describe, expect, it } from "vitest";
import { checkUpstreamUrlStatic } from "../../schema/ssrf/index.ts";

const ruleOf = (url: string, allow?: readonly string[]) => checkUpstreamUrlStatic(url, allow ? { allow } : {})?.rule ?? null;

describe("checkUpstreamUrlStatic beyond the corpus", () => {
  it.each([
    ["https://api.example.com/v1", null],
    ["http://@api.example.com/", "userinfo"],
    ["http://:@api.example.com/", "userinfo"],
    ["http://api.example.com:0/", "port:zero"],
    ["http://api.example.com/#", "hygiene:fragment"],
    ["http://api.exa\u00a0mple.com/", "malformed:whatwg-parse"],
    ["http://api.example.com/a\u3000b", "hygiene:control-space-or-backslash"],
    ["http://api.example.com/a\u2028b", "hygiene:control-space-or-backslash"],
    ["http://api.example.com/\u0085", "hygiene:control-space-or-backslash"],
    ["http://api.example.com/\ufeff", "hygiene:control-space-or-backslash"],
    ["http://api.example.com/\\", "hygiene:control-space-or-backslash"],
    ["ws://api.example.com/", "scheme:not-http(s)"],
    ["javascript:alert(1)", "scheme:not-http(s)"],
    ["data:text/plain,hi", "scheme:not-http(s)"],
    ["HTTP://0X7F.1/", "ipv4:loopback"],
    ["http://[::ffff:169.254.169.254]/", "ipv4-mapped->ipv4:link-local"],
    ["http://[64:ff9b::169.254.169.254]/", "nat64->ipv4:link-local"],
    ["http://[::ffff:0:a9fe:a9fe]/", "ipv6:siit"],
    ["http://[5f00::1]/", "ipv6:segment-routing"],
    ["http://[fec0::1]/", "ipv6:site-local"],
    ["http://[4000::1]/", "ipv6:not-global-unicast"],
    ["http://[2001:2::1]/", "ipv6:benchmarking"],
    ["http://192.88.99.1/", "ipv4:6to4-relay"],
    ["http://a.localhost/", "name:localhost"],
    ["http://LOCALHOST./", "name:localhost"],
    ["http://localhost.example.com/", null],
    ["http://metadata/", "name:cloud-metadata"],
    ["http://metadata.goog/", "name:cloud-metadata"],
    ["http://instance-data/", "name:cloud-metadata"],
    ["http://metadata.tencentyun.com/", "name:cloud-metadata"],
    ["http://a..example.com/", "name:invalid"],
    ["http://a!b.example.com/", "name:invalid"],
    [`http://${"a".repeat(63)}.example.com/`, null],
    [`http://${"a.".repeat(126)}aa/`, "name:invalid"],
    [`http://${"a.".repeat(126)}a./`, null],
    ["http://xn--mnchen-3ya.de./", null],
  ])("%j -> %s", (url, rule) => {
    expect(ruleOf(url)).toBe(rule);
  });

  it("opens literals and localhost for a declared allowance, never metadata", () => {
    expect(ruleOf("http://10.1.2.3:8080/", ["10.1.0.0/16"])).toBeNull();
    expect(ruleOf("http://10.2.0.1/", ["10.1.0.0/16"])).toBe("ipv4:rfc1918");
    expect(ruleOf("http://localhost:3000/", ["127.0.0.0/8"])).toBeNull();
    expect(ruleOf("http://localhost:3000/", ["10.1.0.0/16"])).toBe("name:localhost");
    expect(ruleOf("http://metadata.google.internal/", ["127.0.0.0/8"])).toBe("name:cloud-metadata");
    expect(() => ruleOf("http://169.254.169.254/", ["169.254.169.254/32"])).toThrow(/can never be allowed/);
  });

  it("gives each refusal a stable code and a reason", () => {
    expect(checkUpstreamUrlStatic("http://127.0.0.1/")).toEqual({
      code: "SSRF_BLOCKED_ADDRESS",
      rule: "ipv4:loopback",
      reason: "127.0.0.1 is in 127.0.0.0/8: loopback (local services, the Lambda Runtime API)",
    });
    expect(checkUpstreamUrlStatic("file:///etc/passwd")).toMatchObject({ code: "SSRF_SCHEME" });
    expect(checkUpstreamUrlStatic("http://u:p@a.example/")).toMatchObject({ code: "SSRF_USERINFO" });
    expect(checkUpstreamUrlStatic("http://localhost/")).toMatchObject({ code: "SSRF_BLOCKED_NAME" });
    expect(checkUpstreamUrlStatic("http://a..b/")).toMatchObject({ code: "SSRF_MALFORMED" });
    expect(checkUpstreamUrlStatic("nope")).toMatchObject({ code: "SSRF_MALFORMED", rule: "malformed:whatwg-parse" });
  });
});
