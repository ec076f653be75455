import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayInput } from "../../schema/gateway.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { createTempRepo, definitionSource, secretRef, type TempRepo } from "./temp-repo.ts";

/** The gateway every case starts from; each case changes one thing. */
function baseDefinition(): GatewayInput {
  return {
    name: "acme",
    connections: {
      gh: { provider: "github", clientId: "Iv1.8a61f9b3a7aba766", clientSecret: secretRef("GH_CLIENT_SECRET"), scopes: ["repo"] },
    },
    endpoints: {
      github: {
        upstream: "https://api.github.com",
        methods: ["GET", "POST"],
        connection: "gh",
        rateLimit: { perMinute: 60, perHour: 1000 },
        timeoutSeconds: 10,
      },
      stripe: {
        upstream: "https://api.stripe.com/v1/customers",
        methods: ["GET"],
        headers: { forward: ["content-type"], inject: { authorization: secretRef("STRIPE_BEARER"), "x-tenant": "acme-eu" } },
      },
      internal: {
        upstream: "http://10.1.2.3:8080/api",
        methods: ["GET"],
        unsafeAllowPrivateNetworks: ["10.1.0.0/16"],
        rateLimit: { perMinute: 10 },
      },
    },
  };
}

type Edit = (d: GatewayInput) => void;
type Expected = Array<[effect: string, text: string] | [effect: string, text: string, "alert"]>;

const ep = (d: GatewayInput, slug: string) => d.endpoints[slug]!;
const gh = (d: GatewayInput) => d.connections!.gh as { scopes: string[]; clientSecret: { kind: "secret"; name: string }; clientId: string };

const cases: Array<[name: string, edit: Edit, expected: Expected]> = [
  ["a method added", (d) => ep(d, "github").methods.push("DELETE"), [["widening", "DELETE is now allowed on `github`"]]],
  ["two methods added", (d) => ep(d, "github").methods.push("put", "DELETE"), [["widening", "PUT and DELETE are now allowed on `github`"]]],
  ["a method removed", (d) => (ep(d, "github").methods = ["GET"]), [["narrowing", "POST is no longer allowed on `github`"]]],
  [
    "an endpoint added",
    (d) => (d.endpoints.billing = { upstream: "https://api.stripe.com/v1", methods: ["GET", "POST"] }),
    [["widening", "endpoint `billing` was added (upstream https://api.stripe.com/v1; methods GET, POST; no rate limit)"]],
  ],
  [
    "an endpoint with injected secrets, a connection and an allowance added",
    (d) => {
      d.endpoints.repos = { upstream: "https://api.github.com/repos", methods: ["GET"], connection: "gh", rateLimit: { perMinute: 5 } };
      d.endpoints.wiki = {
        upstream: "http://10.9.0.1/wiki",
        methods: ["GET"],
        headers: { inject: { "x-key": secretRef("WIKI_KEY") } },
        unsafeAllowPrivateNetworks: ["10.9.0.0/24"],
      };
    },
    [
      ["widening", "endpoint `repos` was added (upstream https://api.github.com/repos; methods GET; OAuth connection `gh`)"],
      ["widening", "endpoint `wiki` was added (upstream http://10.9.0.1/wiki; methods GET; injects `x-key` from secret `WIKI_KEY`; no rate limit)"],
      ["widening", "`wiki` may now reach private network `10.9.0.0/24` (unsafeAllowPrivateNetworks)", "alert"],
    ],
  ],
  ["an endpoint removed", (d) => delete d.endpoints.stripe, [["narrowing", "endpoint `stripe` was removed"]]],
  [
    "an endpoint with an allowance removed",
    (d) => delete d.endpoints.internal,
    [
      ["narrowing", "endpoint `internal` was removed"],
      ["narrowing", "`internal` may no longer reach private network `10.1.0.0/16` (unsafeAllowPrivateNetworks)", "alert"],
    ],
  ],
  [
    "the upstream origin changed",
    (d) => (ep(d, "stripe").upstream = "https://stripe.example.net/v1/customers"),
    [
      [
        "widening",
        "upstream origin of `stripe` changed from https://api.stripe.com to https://stripe.example.net (now https://stripe.example.net/v1/customers)",
      ],
    ],
  ],
  [
    "the upstream port changed (another origin)",
    (d) => (ep(d, "stripe").upstream = "https://api.stripe.com:8443/v1/customers"),
    [
      [
        "widening",
        "upstream origin of `stripe` changed from https://api.stripe.com to https://api.stripe.com:8443 (now https://api.stripe.com:8443/v1/customers)",
      ],
    ],
  ],
  [
    "the upstream path moved up",
    (d) => (ep(d, "stripe").upstream = "https://api.stripe.com/v1"),
    [["widening", "upstream path of `stripe` widened from /v1/customers to /v1 (clients reach everything below it)"]],
  ],
  [
    "the upstream path moved down",
    (d) => (ep(d, "stripe").upstream = "https://api.stripe.com/v1/customers/cus_1"),
    [["narrowing", "upstream path of `stripe` narrowed from /v1/customers to /v1/customers/cus_1"]],
  ],
  [
    "the upstream path moved sideways",
    (d) => (ep(d, "stripe").upstream = "https://api.stripe.com/v1/charges"),
    [["neutral", "upstream path of `stripe` changed from /v1/customers to /v1/charges"]],
  ],
  ["only a trailing slash added to the upstream", (d) => (ep(d, "stripe").upstream = "https://api.stripe.com/v1/customers/"), []],
  [
    "forwarded headers added",
    (d) => (ep(d, "stripe").headers!.forward = ["content-type", "x-internal-user", "idempotency-key"]),
    [["widening", "headers `idempotency-key` and `x-internal-user` are now forwarded from clients to `stripe`"]],
  ],
  [
    "a forwarded header removed",
    (d) => (ep(d, "stripe").headers!.forward = []),
    [["narrowing", "header `content-type` is no longer forwarded from clients to `stripe`"]],
  ],
  [
    "an injected secret header added",
    (d) => (ep(d, "stripe").headers!.inject!["stripe-account"] = secretRef("STRIPE_ACCOUNT")),
    [["widening", "`stripe` now injects header `stripe-account` from secret `STRIPE_ACCOUNT`"]],
  ],
  [
    "an injected literal header added",
    (d) => (ep(d, "github").headers = { inject: { "x-github-api-version": "2022-11-28" } }),
    [["widening", "`github` now injects header `x-github-api-version` from a literal value"]],
  ],
  [
    "an injected header removed",
    (d) => delete ep(d, "stripe").headers!.inject!.authorization,
    [["narrowing", "`stripe` no longer injects header `authorization`"]],
  ],
  [
    "an injected header pointed at another secret",
    (d) => (ep(d, "stripe").headers!.inject!.authorization = secretRef("STRIPE_LIVE_KEY")),
    [["widening", "header `authorization` injected on `stripe` now comes from secret `STRIPE_LIVE_KEY` instead of secret `STRIPE_BEARER`"]],
  ],
  [
    "an injected literal replaced by a secret",
    (d) => (ep(d, "stripe").headers!.inject!["x-tenant"] = secretRef("TENANT")),
    [["widening", "header `x-tenant` injected on `stripe` now comes from secret `TENANT` instead of a literal value"]],
  ],
  [
    "an injected literal's value changed",
    (d) => (ep(d, "stripe").headers!.inject!["x-tenant"] = "acme-us"),
    [["neutral", "literal value of header `x-tenant` injected on `stripe` changed (values are not shown)"]],
  ],
  [
    "an injected header name's case changed",
    (d) => (ep(d, "stripe").headers!.inject = { Authorization: secretRef("STRIPE_BEARER"), "X-Tenant": "acme-eu" }),
    [],
  ],
  ["a scope added", (d) => gh(d).scopes.push("admin:org"), [["widening", "OAuth connection `gh` now requests scope `admin:org`"]]],
  ["a scope removed", (d) => (gh(d).scopes = []), [["narrowing", "OAuth connection `gh` no longer requests scope `repo`"]]],
  [
    "the OAuth provider changed",
    (d) =>
      (d.connections!.gh = {
        provider: "generic",
        clientId: "abc",
        clientSecret: secretRef("GH_CLIENT_SECRET"),
        scopes: ["repo"],
        tokenUrl: "https://auth.example.com/token",
      }),
    [["widening", "OAuth connection `gh` changed provider from github to generic (generic; scope `repo`)"]],
  ],
  [
    "an OAuth connection added",
    (d) => (d.connections!.chat = { provider: "slack", clientId: "123.456", clientSecret: secretRef("SLACK_SECRET"), scopes: ["chat:write", "channels:read"] }),
    [["widening", "OAuth connection `chat` was added (slack; scopes `chat:write` and `channels:read`)"]],
  ],
  [
    "an OAuth connection removed with its endpoint",
    (d) => {
      delete d.connections!.gh;
      delete d.endpoints.github;
    },
    [
      ["narrowing", "OAuth connection `gh` was removed (github; scope `repo`)"],
      ["narrowing", "endpoint `github` was removed"],
    ],
  ],
  [
    "the OAuth client secret pointed at another secret",
    (d) => (gh(d).clientSecret = secretRef("GH_APP_SECRET")),
    [["widening", "client secret of OAuth connection `gh` now comes from secret `GH_APP_SECRET` instead of `GH_CLIENT_SECRET`"]],
  ],
  [
    "the OAuth client id changed",
    (d) => (gh(d).clientId = "Iv1.0000"),
    [["neutral", "clientId of OAuth connection `gh` changed from `Iv1.8a61f9b3a7aba766` to `Iv1.0000`"]],
  ],
  [
    "an endpoint attached to a connection",
    (d) => (ep(d, "internal").connection = "gh"),
    [["widening", "`internal` now sends the OAuth token of connection `gh` upstream"]],
  ],
  [
    "an endpoint detached from its connection",
    (d) => delete ep(d, "github").connection,
    [["narrowing", "`github` no longer sends the OAuth token of connection `gh` upstream"]],
  ],
  ["a rate limit raised", (d) => (ep(d, "github").rateLimit!.perMinute = 120), [["widening", "rate limit perMinute on `github` raised from 60 to 120"]]],
  ["a rate limit lowered", (d) => (ep(d, "github").rateLimit!.perHour = 500), [["narrowing", "rate limit perHour on `github` lowered from 1000 to 500"]]],
  ["one cap removed", (d) => delete ep(d, "github").rateLimit!.perHour, [["widening", "rate limit perHour on `github` removed (was 1000)"]]],
  [
    "an endpoint-wide cap set",
    (d) => (ep(d, "github").rateLimit!.endpoint = { perMinute: 300 }),
    [["narrowing", "rate limit endpoint.perMinute on `github` set to 300"]],
  ],
  ["a rate limit removed", (d) => delete ep(d, "github").rateLimit, [["widening", "rate limit removed from `github` (was perMinute 60, perHour 1000)"]]],
  ["a rate limit added", (d) => (ep(d, "stripe").rateLimit = { perMinute: 30 }), [["narrowing", "rate limit added to `stripe` (perMinute 30)"]]],
  ["a timeout raised (on the same door)", (d) => (ep(d, "github").timeoutSeconds = 25), [["neutral", "timeout on `github` raised from 10 s to 25 s"]]],
  ["a timeout lowered (to the default)", (d) => delete ep(d, "github").timeoutSeconds, [["neutral", "timeout on `github` raised from 10 s to 29 s"]]],
  [
    "the body size limit raised",
    (d) => (ep(d, "stripe").maxRequestBytes = 10 * 1024 * 1024),
    [["widening", "request body limit on `stripe` raised from 1 MiB to 10 MiB"]],
  ],
  [
    "the body size limit lowered",
    (d) => (ep(d, "stripe").maxRequestBytes = 256 * 1024),
    [["narrowing", "request body limit on `stripe` lowered from 1 MiB to 256 KiB"]],
  ],
  [
    "path forwarding switched off",
    (d) => (ep(d, "stripe").forwardPath = false),
    [["narrowing", "`stripe` no longer forwards the client's path (every request goes to the upstream URL itself)"]],
  ],
  ["query forwarding switched off", (d) => (ep(d, "stripe").forwardQuery = false), [["narrowing", "`stripe` no longer forwards the client's query string"]]],
  ["Set-Cookie allowed", (d) => (ep(d, "stripe").headers!.allowSetCookie = true), [["widening", "`stripe` now passes upstream Set-Cookie headers to clients"]]],
  [
    "query values kept in the audit",
    (d) => (ep(d, "stripe").auditQueryValues = ["limit"]),
    [["widening", "`stripe` now keeps the value of query parameter `limit` in the audit"]],
  ],
  [
    "a private network allowance added",
    (d) => ep(d, "internal").unsafeAllowPrivateNetworks!.push("192.168.10.0/24"),
    [["widening", "`internal` may now reach private network `192.168.10.0/24` (unsafeAllowPrivateNetworks)", "alert"]],
  ],
  [
    "a private network allowance removed",
    (d) => {
      ep(d, "internal").upstream = "https://internal.example.com/api";
      ep(d, "internal").unsafeAllowPrivateNetworks = [];
    },
    [
      ["widening", "upstream origin of `internal` changed from http://10.1.2.3:8080 to https://internal.example.com (now https://internal.example.com/api)"],
      ["narrowing", "`internal` may no longer reach private network `10.1.0.0/16` (unsafeAllowPrivateNetworks)", "alert"],
    ],
  ],
  [
    "the gateway id changed",
    (d) => (d.id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"),
    [
      [
        "neutral",
        `gateway id changed from ${gatewayIdFromName("acme")} to 1b4e28ba-2fa1-41d2-883f-0016d3cca427: every client URL of \`acme\` changes`,
        "alert",
      ],
    ],
  ],
  [
    "only keys and lists reordered, defaults moved",
    (d) => {
      const github = ep(d, "github");
      d.endpoints = {
        internal: { rateLimit: { perMinute: 10 }, unsafeAllowPrivateNetworks: ["10.1.0.0/16"], methods: ["get"], upstream: "http://10.1.2.3:8080/api" },
        stripe: {
          methods: ["GET"],
          headers: { inject: { "x-tenant": "acme-eu", authorization: secretRef("STRIPE_BEARER") }, forward: ["Content-Type"] },
          upstream: "https://api.stripe.com/v1/customers",
          timeoutSeconds: 29,
        },
        github: {
          timeoutSeconds: 10,
          rateLimit: { perHour: 1000, perMinute: 60 },
          connection: "gh",
          methods: ["POST", "GET", "GET"],
          upstream: github.upstream,
        },
      };
      d.connections = { gh: { scopes: ["repo"], clientSecret: secretRef("GH_CLIENT_SECRET"), clientId: "Iv1.8a61f9b3a7aba766", provider: "github" } };
    },
    [],
  ],
];

describe("gatehouse diff classifies each kind of change", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createTempRepo();
  });
  afterAll(() => repo.cleanup());

  it.each(cases)("%s", async (_name, edit, expected) => {
    const before = baseDefinition();
    const after = structuredClone(before);
    edit(after);
    repo.write("gateways/acme.ts", definitionSource(before));
    repo.commit("before");
    repo.write("gateways/acme.ts", definitionSource(after));
    repo.commit("after");
    const result = await repo.diff("--base", "HEAD~1", "--head", "HEAD", "--format", "json");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { gateways: Array<{ name: string; changes: Array<{ effect: string; text: string; alert?: boolean }> }> };
    const changes = report.gateways.flatMap((g) => g.changes.map((c) => (c.alert ? [c.effect, c.text, "alert"] : [c.effect, c.text])));
    expect(changes).toEqual(expected);
  });
});
