import { describe, expect, it } from "vitest";
import { secret, validateGateway } from "gatehouse-gateway";

/** A valid endpoint to start from; each case breaks one thing. */
const base = () => ({ upstream: "https://api.example.com/v1", methods: ["GET"] });
const gw = (endpoints: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: "acme", endpoints, ...extra });

const cases: Array<[string, unknown, string, string]> = [
  [
    "name with capitals",
    { name: "Acme", endpoints: { a: base() } },
    "name",
    "name must be lower-case letters, digits and '-', starting with a letter, at most 40 characters",
  ],
  ["missing name", { endpoints: { a: base() } }, "name", "name is required"],
  ["id that is not a UUID", gw({ a: base() }, { id: "1234" }), "id", "id must be a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427"],
  ["no endpoints", gw({}), "endpoints", "a gateway needs at least one endpoint"],
  [
    "slug with capitals",
    gw({ GitHub: base() }),
    "endpoints.GitHub",
    "'GitHub' is not a valid slug: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63",
  ],
  [
    "slug with a slash",
    gw({ "a/b": base() }),
    "endpoints.a/b",
    "'a/b' is not a valid slug: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 63",
  ],
  [
    "relative upstream",
    gw({ a: { ...base(), upstream: "/v1" } }),
    "endpoints.a.upstream",
    "'/v1' is not an absolute URL; write it like https://api.example.com/v1",
  ],
  ["ftp upstream", gw({ a: { ...base(), upstream: "ftp://files.example.com" } }), "endpoints.a.upstream", "upstream must use http or https, not ftp"],
  [
    "userinfo in upstream",
    gw({ a: { ...base(), upstream: "https://u:p@api.example.com" } }),
    "endpoints.a.upstream",
    "upstream must not contain a user name or password; inject credentials with headers.inject and secret()",
  ],
  [
    "fragment in upstream",
    gw({ a: { ...base(), upstream: "https://api.example.com/v1#x" } }),
    "endpoints.a.upstream",
    "upstream must not have a fragment (#...)",
  ],
  [
    "query in upstream",
    gw({ a: { ...base(), upstream: "https://api.example.com/v1?key=1" } }),
    "endpoints.a.upstream",
    "upstream must not have a query string; clients' query strings are forwarded per forwardQuery",
  ],
  ["no methods", gw({ a: { ...base(), methods: [] } }), "endpoints.a.methods", "methods must name at least one method"],
  [
    "TRACE method",
    gw({ a: { ...base(), methods: ["GET", "TRACE"] } }),
    "endpoints.a.methods[1]",
    "'TRACE' is not an allowed method; use GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  ],
  ["methods not a list", gw({ a: { ...base(), methods: "GET" } }), "endpoints.a.methods", 'methods must be a list such as ["GET"]'],
  [
    "header name with a space",
    gw({ a: { ...base(), headers: { forward: ["x api"] } } }),
    "endpoints.a.headers.forward[0]",
    "is not a valid header name (RFC 9110 token characters only)",
  ],
  [
    "forwarding Host",
    gw({ a: { ...base(), headers: { forward: ["Host"] } } }),
    "endpoints.a.headers.forward[0]",
    "'Host' can never be forwarded: Host is set from the upstream URL",
  ],
  [
    "forwarding Authorization",
    gw({ a: { ...base(), headers: { forward: ["authorization"] } } }),
    "endpoints.a.headers.forward[0]",
    "'authorization' can never be forwarded: the client's Authorization carries its Gatehouse token and stops at the gateway",
  ],
  [
    "forwarding Cookie",
    gw({ a: { ...base(), headers: { forward: ["accept", "Cookie"] } } }),
    "endpoints.a.headers.forward[1]",
    "'Cookie' can never be forwarded: client cookies stop at the gateway",
  ],
  [
    "forwarding Content-Length",
    gw({ a: { ...base(), headers: { forward: ["content-length"] } } }),
    "endpoints.a.headers.forward[0]",
    "'content-length' can never be forwarded: Content-Length is recomputed by the gateway",
  ],
  [
    "forwarding a hop-by-hop header",
    gw({ a: { ...base(), headers: { forward: ["te"] } } }),
    "endpoints.a.headers.forward[0]",
    "'te' can never be forwarded: te is a hop-by-hop header",
  ],
  [
    "forwarding X-Forwarded-For",
    gw({ a: { ...base(), headers: { forward: ["x-forwarded-for"] } } }),
    "endpoints.a.headers.forward[0]",
    "'x-forwarded-for' can never be forwarded: client forwarding headers are never trusted",
  ],
  [
    "injecting Host",
    gw({ a: { ...base(), headers: { inject: { host: "evil.example" } } } }),
    "endpoints.a.headers.inject.host",
    "'host' can never be injected: Host is set from the upstream URL",
  ],
  [
    "injecting Transfer-Encoding",
    gw({ a: { ...base(), headers: { inject: { "Transfer-Encoding": "chunked" } } } }),
    "endpoints.a.headers.inject.Transfer-Encoding",
    "'Transfer-Encoding' can never be injected: Transfer-Encoding is a hop-by-hop header",
  ],
  [
    "literal Authorization",
    gw({ a: { ...base(), headers: { inject: { authorization: "Bearer sk_live" } } } }),
    "endpoints.a.headers.inject.authorization",
    'authorization must be injected from a secret: use secret("NAME", { prefix: "Bearer " }) or basicAuth(secret("USER"), secret("PASS")), never a literal value',
  ],
  [
    "same injected header twice",
    gw({ a: { ...base(), headers: { inject: { "x-key": "a", "X-Key": "b" } } } }),
    "endpoints.a.headers.inject.X-Key",
    "'X-Key' is the same header as 'x-key' (names are case-insensitive)",
  ],
  [
    "header value with a newline",
    gw({ a: { ...base(), headers: { inject: { "x-key": "a\r\nx-evil: 1" } } } }),
    "endpoints.a.headers.inject.x-key",
    "a header value must not contain CR, LF or NUL",
  ],
  [
    "lower-case secret name",
    gw({ a: { ...base(), headers: { inject: { "x-key": secret("stripe_key") } } } }),
    "endpoints.a.headers.inject.x-key.name",
    "a secret name is upper-case letters, digits and '_', starting with a letter (like STRIPE_KEY)",
  ],
  [
    "unknown connection",
    gw({ a: { ...base(), connection: "github" } }),
    "endpoints.a.connection",
    "unknown connection 'github'; this gateway defines no connections",
  ],
  [
    "Authorization injected with a connection",
    gw(
      { a: { ...base(), connection: "gh", headers: { inject: { Authorization: secret("GH") } } } },
      { connections: { gh: { provider: "github", clientId: "x", clientSecret: secret("GH_SECRET") } } },
    ),
    "endpoints.a.headers.inject.Authorization",
    "Authorization is set by connection 'gh'; do not inject it as well",
  ],
  [
    "perMinute above perHour",
    gw({ a: { ...base(), rateLimit: { perMinute: 100, perHour: 10 } } }),
    "endpoints.a.rateLimit.perMinute",
    "perMinute (100) is above perHour (10); the hour cap would make it unreachable",
  ],
  [
    "endpoint-wide perMinute above perHour",
    gw({ a: { ...base(), rateLimit: { endpoint: { perMinute: 5, perHour: 4 } } } }),
    "endpoints.a.rateLimit.endpoint.perMinute",
    "perMinute (5) is above perHour (4); the hour cap would make it unreachable",
  ],
  [
    "empty rate limit",
    gw({ a: { ...base(), rateLimit: {} } }),
    "endpoints.a.rateLimit",
    "a rate limit needs at least one of perMinute, perHour, endpoint.perMinute, endpoint.perHour",
  ],
  [
    "fractional perMinute",
    gw({ a: { ...base(), rateLimit: { perMinute: 1.5 } } }),
    "endpoints.a.rateLimit.perMinute",
    "perMinute must be a whole number of requests",
  ],
  ["zero perHour", gw({ a: { ...base(), rateLimit: { perHour: 0 } } }), "endpoints.a.rateLimit.perHour", "perHour must be at least 1"],
  ["timeout of 0", gw({ a: { ...base(), timeoutSeconds: 0 } }), "endpoints.a.timeoutSeconds", "timeoutSeconds must be between 1 and 300"],
  ["timeout of 301", gw({ a: { ...base(), timeoutSeconds: 301 } }), "endpoints.a.timeoutSeconds", "timeoutSeconds must be between 1 and 300"],
  ["fractional timeout", gw({ a: { ...base(), timeoutSeconds: 2.5 } }), "endpoints.a.timeoutSeconds", "timeoutSeconds must be a whole number of seconds"],
  ["negative body size", gw({ a: { ...base(), maxRequestBytes: -1 } }), "endpoints.a.maxRequestBytes", "maxRequestBytes must not be negative"],
  [
    "typo in an endpoint field",
    gw({ a: { ...base(), timeoutSecond: 5 } }),
    "endpoints.a.timeoutSecond",
    "unknown field 'timeoutSecond' (check its spelling; unknown fields are never ignored)",
  ],
  ["typo at the top level", gw({ a: base() }, { endpoint: {} }), "endpoint", "unknown field 'endpoint' (check its spelling; unknown fields are never ignored)"],
  [
    "typo in headers",
    gw({ a: { ...base(), headers: { forwards: ["accept"] } } }),
    "endpoints.a.headers.forwards",
    "unknown field 'forwards' (check its spelling; unknown fields are never ignored)",
  ],
  [
    "unknown provider",
    gw({ a: base() }, { connections: { x: { provider: "gitlab", clientId: "1", clientSecret: secret("S") } } }),
    "connections.x.provider",
    "provider must be one of google, github, slack, microsoft, notion, discord, generic (use the oauth.* helpers)",
  ],
  [
    "client secret written as a literal",
    gw({ a: base() }, { connections: { gh: { provider: "github", clientId: "1", clientSecret: "shhh" } } }),
    "connections.gh.clientSecret",
    "expected object, got string",
  ],
  [
    "loopback upstream",
    gw({ a: { ...base(), upstream: "http://127.0.0.1:8080" } }),
    "endpoints.a.upstream",
    '127.0.0.1 is in 127.0.0.0/8: loopback (local services, the Lambda Runtime API) (SSRF rule ipv4:loopback). For local development keep the real upstream here and run `gatehouse dev --upstream a=http://127.0.0.1:8080` (this run only, the definition unchanged); to allow it on purpose add unsafeAllowPrivateNetworks: ["127.0.0.1/32"] to this endpoint (the policy pack refuses it in production stacks); `gatehouse dev --unsafe-allow-private` does not cover an upstream written in the definition',
  ],
  [
    "localhost upstream",
    gw({ a: { ...base(), upstream: "http://localhost:4010/v1" } }),
    "endpoints.a.upstream",
    "'localhost' always means this machine (RFC 6761) (SSRF rule name:localhost). For local development keep the real upstream here and run `gatehouse dev --upstream a=http://localhost:4010/v1` (this run only, the definition unchanged); to allow it on purpose add unsafeAllowPrivateNetworks: [\"127.0.0.1/32\"] to this endpoint (the policy pack refuses it in production stacks); `gatehouse dev --unsafe-allow-private` does not cover an upstream written in the definition",
  ],
  [
    "metadata upstream: no way out is offered",
    gw({ a: { ...base(), upstream: "http://169.254.169.254/" } }),
    "endpoints.a.upstream",
    "169.254.169.254 is in 169.254.0.0/16: link-local (cloud instance metadata, ECS, EKS, VPC DNS, time sync); it is instance metadata, DNS and time sync (AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner, IBM) (SSRF rule ipv4:link-local)",
  ],
  [
    "metadata allowance",
    gw({ a: { ...base(), unsafeAllowPrivateNetworks: ["169.254.169.254/32"] } }),
    "endpoints.a.unsafeAllowPrivateNetworks[0]",
    "'169.254.169.254/32' covers 169.254.169.0/24 (instance metadata, DNS and time sync (AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner, IBM)); cloud metadata addresses can never be allowed, so narrow the range",
  ],
];

describe("a definition with one mistake reports exactly that mistake, with its path", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  for (const [title, definition, path, message] of cases) {
    it(title, () => {
      const result = validateGateway(definition);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const atPath = result.issues.filter((issue) => issue.path === path);
      expect(atPath.length, JSON.stringify(result.issues)).toBeGreaterThan(0);
      expect(atPath.map((i) => i.message)).toContain(message);
    });
  }
});

describe("every problem at once", () => {
  it("reports problems from the schema and the cross-field rules together", () => {
    const result = validateGateway({
      name: "Acme",
      endpoints: {
        a: { upstream: "ftp://x", methods: [], timeoutSeconds: 999, connection: "none", headers: { forward: ["cookie"] } },
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(
      ["endpoints.a.connection", "endpoints.a.headers.forward[0]", "endpoints.a.methods", "endpoints.a.timeoutSeconds", "endpoints.a.upstream", "name"].sort(),
    );
  });
});
