import { describe, expect, it } from "vitest";
import { problemsAt } from "../helpers/definition-problems.ts";
import { basicAuth, defineGateway, secret, type GatewayInput } from "gatehouse-gateway";
import { secretNames } from "../../schema/secret-names.ts";
import { describeInjectValue } from "../../cli/describe-inject.ts";
import { parseBundledDefinition } from "../../functions/front-doors/lambda/parse-bundled-definition.ts";

const gw = (inject: Record<string, unknown>, connections: Record<string, unknown> = {}): GatewayInput =>
  ({
    name: "tpl",
    connections,
    endpoints: { a: { upstream: "https://api.example.com", methods: ["GET"], headers: { inject } } },
  }) as GatewayInput;

describe("secret(NAME, { prefix }) and basicAuth(user, password) as values", () => {
  it("secret(NAME) keeps its old shape (so existing revisions stay), a prefix is kept as given", () => {
    expect(secret("A")).toEqual({ kind: "secret", name: "A" });
    expect(Object.keys(secret("A"))).toEqual(["kind", "name"]);
    expect(secret("A", { prefix: "Bearer " })).toEqual({ kind: "secret", name: "A", prefix: "Bearer " });
    expect(basicAuth(secret("U"), "")).toEqual({ kind: "basic", username: { kind: "secret", name: "U" }, password: "" });
  });

  it("validates and keeps them on the endpoint; every secret they read is a secret of the gateway", () => {
    const g = defineGateway(gw({ Authorization: secret("STRIPE", { prefix: "Bearer " }), "x-basic": basicAuth(secret("USER"), secret("PASS")) }));
    expect(g.endpoints.a!.headers.inject).toEqual({
      authorization: { kind: "secret", name: "STRIPE", prefix: "Bearer " },
      "x-basic": { kind: "basic", username: { kind: "secret", name: "USER" }, password: { kind: "secret", name: "PASS" } },
    });
    expect(secretNames(g)).toEqual(["PASS", "STRIPE", "USER"]);
  });

  it("a prefix changes the revision; the same definition twice does not", () => {
    const plain = defineGateway(gw({ authorization: secret("S") })).revision;
    expect(defineGateway(gw({ authorization: secret("S", { prefix: "Bearer " }) })).revision).not.toBe(plain);
    expect(defineGateway(gw({ authorization: secret("S") })).revision).toBe(plain);
  });

  it("a validated gateway is valid input again (what the Lambda re-validates from gateway.json)", () => {
    const g = defineGateway(gw({ authorization: basicAuth("svc", secret("PASS")), "x-key": secret("K", { prefix: "Token " }) }));
    const again = parseBundledDefinition(JSON.stringify(g));
    expect(again.endpoints.a!.headers.inject).toEqual(g.endpoints.a!.headers.inject);
    expect(again.revision).toBe(g.revision);
  });

  const bad: Array<[string, unknown, string, string]> = [
    [
      "an empty prefix",
      gw({ authorization: secret("S", { prefix: "" }) }),
      "endpoints.a.headers.inject.authorization.prefix",
      "prefix must not be empty (leave it out to send the value as it is)",
    ],
    [
      "a prefix with a line break",
      gw({ authorization: secret("S", { prefix: "Bearer\r\n" }) }),
      "endpoints.a.headers.inject.authorization.prefix",
      "prefix must not hold a line break or another control character",
    ],
    [
      "a prefix over 64 characters",
      gw({ authorization: secret("S", { prefix: "x".repeat(65) }) }),
      "endpoints.a.headers.inject.authorization.prefix",
      "prefix must be at most 64 characters",
    ],
    [
      "a prefix that is not a string",
      gw({ authorization: { kind: "secret", name: "S", prefix: 7 } }),
      "endpoints.a.headers.inject.authorization",
      'must be a string, secret("NAME") (optionally with { prefix }) or basicAuth(user, password)',
    ],
    [
      "Basic of two literals",
      gw({ "x-basic": basicAuth("user", "pass") }),
      "endpoints.a.headers.inject.x-basic",
      "basicAuth needs secret() for the user name or the password: a credential never sits in a definition",
    ],
    [
      "a literal Basic user name with ':'",
      gw({ authorization: basicAuth("a:b", secret("P")) }),
      "endpoints.a.headers.inject.authorization.username",
      "a Basic user name cannot contain ':' (RFC 7617)",
    ],
    [
      "a prefixed secret inside Basic",
      gw({ authorization: basicAuth(secret("U", { prefix: "x" }), secret("P")) }),
      "endpoints.a.headers.inject.authorization.username.prefix",
      "unknown field 'prefix' (check its spelling; unknown fields are never ignored)",
    ],
    [
      "a lower-case secret name inside Basic",
      gw({ authorization: basicAuth(secret("U"), secret("p")) }),
      "endpoints.a.headers.inject.authorization.password.name",
      "a secret name is upper-case letters, digits and '_', starting with a letter (like STRIPE_KEY)",
    ],
    [
      "a prefix on an OAuth client secret",
      gw({}, { gh: { provider: "github", clientId: "Iv1.a", clientSecret: secret("GH", { prefix: "x" }), scopes: [] } }),
      "connections.gh.clientSecret.prefix",
      "unknown field 'prefix' (check its spelling; unknown fields are never ignored)",
    ],
  ];
  for (const [title, definition, path, message] of bad) {
    it(`refuses ${title}, with its path`, () => expect(problemsAt(definition, path)).toContain(message));
  }
});

describe("describeInjectValue: what plan and diff say, never a value", () => {
  it("names the source and shows the prefix", () => {
    expect(describeInjectValue("x")).toBe("a literal value");
    expect(describeInjectValue(secret("STRIPE_BEARER"))).toBe("secret STRIPE_BEARER");
    expect(describeInjectValue(secret("STRIPE_BEARER", { prefix: "Bearer " }))).toBe('"Bearer " + secret STRIPE_BEARER');
    expect(describeInjectValue(basicAuth(secret("U"), secret("P")))).toBe("HTTP Basic (user name: secret U, password: secret P)");
    expect(describeInjectValue(basicAuth("svc-login", secret("P")))).toBe("HTTP Basic (user name: a literal, password: secret P)");
    expect(describeInjectValue(basicAuth(secret("K"), ""))).toBe("HTTP Basic (user name: secret K, password: empty)");
  });
});
