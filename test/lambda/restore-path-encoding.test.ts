import { describe, expect, it } from "vitest";
import { restoreApiGatewayPath } from "../../functions/front-doors/lambda/restore-path-encoding.ts";
import { apiGatewayDecode } from "./support/payload-v2-events.ts";

// What the client sent -> what API Gateway hands the function -> what the API door forwards.
describe("restoreApiGatewayPath", () => {
  it.each([
    ["/p/x%20y", "/p/x%20y"],
    ["/p/a%3Fb%23c", "/p/a%3Fb%23c"],
    ["/p/caf%C3%A9/%E2%9C%93", "/p/caf%C3%A9/%E2%9C%93"],
    ["/p/%F0%9F%90%98", "/p/%F0%9F%90%98"],
    ["/p/100%25", "/p/100%25"],
    ["/p/%25zz", "/p/%25zz"],
    ["/p/%01%7F%1F", "/p/%01%7F%1F"],
    ["/p/%22%3C%3E%5C%5E%60%7B%7C%7D", "/p/%22%3C%3E%5C%5E%60%7B%7C%7D"],
    ["/p/plain-._~!$&'()*+,;=:@", "/p/plain-._~!$&'()*+,;=:@"],
  ])("the client's %s is forwarded as %s", (sent, forwarded) => {
    expect(restoreApiGatewayPath(apiGatewayDecode(sent))).toEqual({ ok: true, path: forwarded });
  });

  it("refuses a decoded %XX: the client's %2541 and %41 cannot be told apart", () => {
    const restored = restoreApiGatewayPath(apiGatewayDecode("/p/a%2541"));
    expect(restored.ok).toBe(false);
    expect(!restored.ok && restored.reason).toContain("'%41'");
    expect(!restored.ok && restored.reason).toContain("'%2541'");
  });

  it("refuses U+FFFD and lone surrogates (bytes that were not UTF-8 are lost)", () => {
    expect(restoreApiGatewayPath("/p/\uFFFD").ok).toBe(false);
    expect(restoreApiGatewayPath("/p/\uD800x").ok).toBe(false);
  });

  it("cannot see an encoded slash: %2F arrives as / and is forwarded as /", () => {
    expect(restoreApiGatewayPath(apiGatewayDecode("/p/group%2Fproject"))).toEqual({ ok: true, path: "/p/group/project" });
  });
});
