// Type-level tests: `npm run typecheck` (part of `npm test`) fails if any line marked as an
// expected error below compiles, i.e. if a wrong definition stopped being a type error.
import { basicAuth, defineGateway, oauth, secret, type Method } from "gatehouse-gateway";

const ok = { upstream: "https://api.example.com", methods: ["GET"] satisfies Method[] };

defineGateway({ name: "ok", endpoints: { a: ok } });

// @ts-expect-error name is required
defineGateway({ endpoints: { a: ok } });

// @ts-expect-error upstream must be a string
defineGateway({ name: "x", endpoints: { a: { upstream: 42, methods: ["GET"] } } });

// @ts-expect-error timeoutSeconds is a number
defineGateway({ name: "x", endpoints: { a: { ...ok, timeoutSeconds: "30" } } });

// @ts-expect-error unknown field on an endpoint
defineGateway({ name: "x", endpoints: { a: { ...ok, timeoutSecond: 30 } } });

// @ts-expect-error injected values are strings or secret(): not numbers
defineGateway({ name: "x", endpoints: { a: { ...ok, headers: { inject: { "x-key": 1 } } } } });

// @ts-expect-error a client secret must be secret("NAME"), never a literal
oauth.github({ clientId: "id", clientSecret: "literal" });

// @ts-expect-error the Slack token kind is "bot" or "user"
oauth.slack({ clientId: "id", clientSecret: secret("S"), token: "app" });

// @ts-expect-error rateLimit caps are numbers
defineGateway({ name: "x", endpoints: { a: { ...ok, rateLimit: { perMinute: "60" } } } });

// @ts-expect-error methods is a list
defineGateway({ name: "x", endpoints: { a: { upstream: "https://a.example", methods: "GET" } } });

// @ts-expect-error forwardPath is a boolean
defineGateway({ name: "x", endpoints: { a: { ...ok, forwardPath: "yes" } } });

// @ts-expect-error methods are a literal union: a misspelled method is a compile error
defineGateway({ name: "x", endpoints: { a: { upstream: "https://a.example", methods: ["PSOT"] } } });

// lower case is accepted (normalised to upper case)
defineGateway({ name: "x", endpoints: { a: { upstream: "https://a.example", methods: ["get", "POST"] } } });

// @ts-expect-error a misspelled field deep inside headers is a compile error
defineGateway({ name: "x", endpoints: { a: { ...ok, headers: { forwrd: ["accept"] } } } });

// @ts-expect-error a misspelled field inside a rate limit is a compile error
defineGateway({ name: "x", endpoints: { a: { ...ok, rateLimit: { perMinut: 5 } } } });

// @ts-expect-error a misspelled field in defaults is a compile error
defineGateway({ name: "x", defaults: { timeoutSecond: 5 }, endpoints: { a: ok } });

// Secret templates: a prefixed secret and Basic credentials are injected values.
defineGateway({
  name: "x",
  endpoints: { a: { ...ok, headers: { inject: { authorization: secret("K", { prefix: "Bearer " }), "x-basic": basicAuth(secret("U"), "") } } } },
});

// @ts-expect-error a prefix is a string
secret("K", { prefix: 1 });

// @ts-expect-error secret() takes a prefix and nothing else
secret("K", { suffix: "x" });

// @ts-expect-error basicAuth takes a user name and a password
basicAuth(secret("U"));

// @ts-expect-error a Basic password is a string or secret(), not a number
basicAuth(secret("U"), 1234);

// CORS: origins is a list; fields are checked at any depth.
defineGateway({ name: "x", endpoints: { a: { ...ok, cors: { origins: ["https://app.example"], credentials: true, maxAgeSeconds: 60 } } } });

// @ts-expect-error origins is a list of strings
defineGateway({ name: "x", endpoints: { a: { ...ok, cors: { origins: "https://app.example" } } } });

// @ts-expect-error a misspelled CORS field
defineGateway({ name: "x", endpoints: { a: { ...ok, cors: { origins: ["https://app.example"], credential: true } } } });
