import { describeClassification, ep, gh, type ClassificationCase } from "./support/classification.ts";
import { gatewayIdFromName } from "../../schema/gateway-id.ts";
import { secretRef } from "./support/temp-repo.ts";

/** OAuth connections, limits, forwarding, allowances, the gateway id, and rewrites that change nothing. */
const cases: ClassificationCase[] = [
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

describeClassification("gatehouse diff classifies connection, limit, forwarding and gateway changes", cases);
