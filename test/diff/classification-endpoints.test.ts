import { describeClassification, ep, type ClassificationCase } from "./support/classification.ts";
import { secretRef } from "./support/temp-repo.ts";

/** Endpoints, upstreams, methods and headers. */
const cases: ClassificationCase[] = [
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
];

describeClassification("gatehouse diff classifies endpoint, upstream, method and header changes", cases);
