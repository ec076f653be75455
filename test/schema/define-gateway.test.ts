import { describe, expect, it } from "vitest";
import { DefinitionError, defineGateway, gatewayIdFromName, oauth, secret, type GatewayInput } from "gatehouse-gateway";

describe("defineGateway", () => {
  const definition = (): GatewayInput => ({
    name: "acme",
    defaults: { timeoutSeconds: 12, rateLimit: { perMinute: 5 } },
    connections: { gh: oauth.github({ clientId: "Iv1.x", clientSecret: secret("GH_SECRET"), scopes: ["repo"] }) },
    endpoints: {
      github: { upstream: "https://api.github.com", methods: ["get", "post", "GET"], connection: "gh" },
      stripe: {
        upstream: "https://api.stripe.com/v1",
        methods: ["POST"],
        timeoutSeconds: 3,
        rateLimit: { perHour: 100 },
        headers: { forward: ["Content-Type"], inject: { Authorization: secret("STRIPE") } },
      },
    },
  });

  it("fills defaults: timeout, body size, forward allowlist, rate limit from `defaults`", () => {
    const g = defineGateway(definition());
    expect(g.endpoints.github!.timeoutSeconds).toBe(12);
    expect(g.endpoints.stripe!.timeoutSeconds).toBe(3);
    expect(g.endpoints.github!.maxRequestBytes).toBe(1_048_576);
    expect(g.endpoints.github!.rateLimit).toEqual({ perMinute: 5 });
    expect(g.endpoints.stripe!.rateLimit).toEqual({ perHour: 100 });
    expect(g.endpoints.github!.headers.forward).toContain("accept");
    expect(g.endpoints.github!.headers.forward).not.toContain("authorization");
    expect(g.endpoints.github!.forwardPath).toBe(true);
    expect(g.endpoints.github!.forwardQuery).toBe(true);
    expect(g.connections.gh).toMatchObject({ provider: "github", app: "oauth-app", scopes: ["repo"] });
  });

  it("normalises methods to upper case without duplicates and header names to lower case", () => {
    const g = defineGateway(definition());
    expect(g.endpoints.github!.methods).toEqual(["GET", "POST"]);
    expect(g.endpoints.stripe!.headers.forward).toEqual(["content-type"]);
    expect(Object.keys(g.endpoints.stripe!.headers.inject)).toEqual(["authorization"]);
  });

  it("derives the id from the name (UUID v5, stable) unless one is given", () => {
    const g = defineGateway(definition());
    expect(g.id).toBe(gatewayIdFromName("acme"));
    expect(g.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(gatewayIdFromName("acme")).not.toBe(gatewayIdFromName("acme2"));
    const explicit = defineGateway({ ...definition(), id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427" });
    expect(explicit.id).toBe("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  });

  it("gives the same revision whatever the key order, and a new one for any change", () => {
    const a = defineGateway(definition());
    const reordered = definition();
    const b = defineGateway({
      endpoints: { stripe: reordered.endpoints.stripe!, github: reordered.endpoints.github! },
      connections: reordered.connections,
      defaults: reordered.defaults,
      name: "acme",
    });
    expect(b.revision).toBe(a.revision);
    const changed = definition();
    changed.endpoints.github!.methods.push("DELETE");
    expect(defineGateway(changed).revision).not.toBe(a.revision);
    expect(a.revision).toMatch(/^[0-9a-f]{12}$/);
  });

  it("throws one DefinitionError listing every problem", () => {
    const broken = { name: "acme", endpoints: { a: { upstream: "x", methods: [] } } };
    let caught: unknown;
    try {
      defineGateway(broken as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DefinitionError);
    const issues = (caught as DefinitionError).issues;
    expect(issues.map((i) => i.path)).toEqual(["endpoints.a.methods", "endpoints.a.upstream"]);
    expect((caught as Error).message).toContain("gateway 'acme' has 2 problems:");
  });

  it("never puts a secret value in the definition: references only", () => {
    const g = defineGateway(definition());
    expect(g.endpoints.stripe!.headers.inject.authorization).toEqual({ kind: "secret", name: "STRIPE" });
    expect(JSON.stringify(g)).not.toMatch(/sk_/);
  });

  it("keeps an endpoint's private-network allowance and refuses metadata inside it", () => {
    const g = defineGateway({
      name: "lab",
      endpoints: { svc: { upstream: "http://10.1.2.3:8080", methods: ["GET"], unsafeAllowPrivateNetworks: ["10.1.0.0/16"] } },
    });
    expect(g.endpoints.svc!.unsafeAllowPrivateNetworks).toEqual(["10.1.0.0/16"]);
    expect(() => defineGateway({ name: "lab", endpoints: { svc: { upstream: "http://10.1.2.3:8080", methods: ["GET"] } } })).toThrow(/SSRF rule/);
  });
});
