import { describe, expect, it } from "vitest";
import { problemsAt } from "../helpers/definition-problems.ts";
import { defineGateway, type GatewayInput } from "gatehouse-gateway";
import { diffCors } from "../../cli/diff/diff-cors.ts";
import { diffEndpoint } from "../../cli/diff/diff-endpoint.ts";
import type { Cors } from "../../schema/cors.ts";
import { parseBundledDefinition } from "../../functions/front-doors/lambda/parse-bundled-definition.ts";

// Issue 19 item 4: `cors` in the definition (validated, defaults filled) and how `diff` classes it.

const gw = (cors: unknown, methods = ["GET", "POST"]): GatewayInput =>
  ({ name: "cors", endpoints: { a: { upstream: "https://api.example.com", methods, headers: { forward: ["Content-Type"] }, cors } } }) as GatewayInput;

describe("cors in a definition", () => {
  it("fills the defaults: the endpoint's methods and forwarded headers, nothing exposed, no credentials, 600 s", () => {
    const g = defineGateway(gw({ origins: ["https://b.example", "https://a.example", "https://a.example"] }));
    expect(g.endpoints.a!.cors).toEqual({
      origins: ["https://a.example", "https://b.example"],
      methods: ["GET", "POST"],
      headers: ["content-type"],
      exposeHeaders: [],
      credentials: false,
      maxAgeSeconds: 600,
    });
  });

  it("keeps the given fields, lower-cased and sorted; the bundled copy re-validates to the same revision", () => {
    const g = defineGateway(
      gw({ origins: ["http://localhost:5173"], methods: ["post"], headers: ["X-B", "x-a"], exposeHeaders: ["X-Total"], credentials: true, maxAgeSeconds: 0 }),
    );
    expect(g.endpoints.a!.cors).toEqual({
      origins: ["http://localhost:5173"],
      methods: ["POST"],
      headers: ["x-a", "x-b"],
      exposeHeaders: ["x-total"],
      credentials: true,
      maxAgeSeconds: 0,
    });
    expect(parseBundledDefinition(JSON.stringify(g)).revision).toBe(g.revision);
  });

  const bad: Array<[string, unknown, string, string]> = [
    ["no origins", { origins: [] }, "endpoints.a.cors.origins", "origins must name at least one origin"],
    [
      "an origin with a path",
      { origins: ["https://app.example/x"] },
      "endpoints.a.cors.origins[0]",
      "'https://app.example/x' is not an origin as browsers send it; write 'https://app.example' (no path, no trailing '/', lower case, no default port)",
    ],
    [
      "an origin with a trailing slash",
      { origins: ["https://app.example/"] },
      "endpoints.a.cors.origins[0]",
      "'https://app.example/' is not an origin as browsers send it; write 'https://app.example' (no path, no trailing '/', lower case, no default port)",
    ],
    [
      "an origin with the default port",
      { origins: ["https://app.example:443"] },
      "endpoints.a.cors.origins[0]",
      "'https://app.example:443' is not an origin as browsers send it; write 'https://app.example' (no path, no trailing '/', lower case, no default port)",
    ],
    [
      "an upper-case origin",
      { origins: ["https://App.example"] },
      "endpoints.a.cors.origins[0]",
      "'https://App.example' is not an origin as browsers send it; write 'https://app.example' (no path, no trailing '/', lower case, no default port)",
    ],
    [
      "a bare host",
      { origins: ["app.example"] },
      "endpoints.a.cors.origins[0]",
      "'app.example' is not an origin; write scheme://host[:port], like https://app.example.com",
    ],
    ["a non-http origin", { origins: ["ftp://app.example"] }, "endpoints.a.cors.origins[0]", "'ftp://app.example' is not an http(s) origin"],
    [
      "the null origin",
      { origins: ["null"] },
      "endpoints.a.cors.origins[0]",
      "'null' is the origin of sandboxed and file pages, which any page can fake; it can never be allowed",
    ],
    [
      "'*' with credentials",
      { origins: ["*"], credentials: true },
      "endpoints.a.cors.credentials",
      "credentials cannot be allowed for origin '*' (browsers refuse it): list the exact origins instead",
    ],
    ["'*' beside origins", { origins: ["*", "https://a.example"] }, "endpoints.a.cors.origins", "'*' allows every origin: list it alone or list exact origins"],
    [
      "a method the endpoint does not allow",
      { origins: ["https://a.example"], methods: ["DELETE"] },
      "endpoints.a.cors.methods[0]",
      "'DELETE' is not one of the endpoint's methods (GET, POST); a page could not use it anyway",
    ],
    [
      "a bad header name",
      { origins: ["https://a.example"], headers: ["x y"] },
      "endpoints.a.cors.headers[0]",
      "is not a valid header name (RFC 9110 token characters only)",
    ],
    [
      "a negative max age",
      { origins: ["https://a.example"], maxAgeSeconds: -1 },
      "endpoints.a.cors.maxAgeSeconds",
      "maxAgeSeconds must be between 0 and 86400",
    ],
    [
      "a misspelled field",
      { origins: ["https://a.example"], credential: true },
      "endpoints.a.cors.credential",
      "unknown field 'credential' (check its spelling; unknown fields are never ignored)",
    ],
  ];
  for (const [title, cors, path, message] of bad) {
    it(`refuses ${title}, with its path`, () => expect(problemsAt(gw(cors), path)).toContain(message));
  }
});

describe("diff classes CORS changes", () => {
  const base: Cors = { origins: ["https://a.example"], methods: ["GET"], headers: ["content-type"], exposeHeaders: [], credentials: false, maxAgeSeconds: 600 };
  const diff = (was: Cors | undefined, now: Cors | undefined) => diffCors("app", was, now).map((c) => [c.effect, c.text]);

  it("adding CORS widens, removing it narrows", () => {
    expect(diff(undefined, base)).toEqual([["widening", "`app` now answers browser pages from origin `https://a.example` (CORS; methods GET)"]]);
    expect(diff(base, undefined)).toEqual([["narrowing", "`app` no longer answers browser pages from other origins (CORS removed)"]]);
  });

  it("a new origin, method, header, exposed header or credentials widen; removals narrow; max age is neutral", () => {
    expect(diff(base, { ...base, origins: ["https://a.example", "https://b.example"] })).toEqual([
      ["widening", "browser pages from origin `https://b.example` may now call `app` (CORS)"],
    ]);
    expect(diff({ ...base, origins: ["https://a.example", "https://b.example"] }, base)).toEqual([
      ["narrowing", "browser pages from origin `https://b.example` may no longer call `app` (CORS)"],
    ]);
    expect(diff(base, { ...base, methods: ["GET", "POST"] })).toEqual([["widening", "browser pages may now use POST on `app` (CORS)"]]);
    expect(diff(base, { ...base, headers: ["content-type", "x-a"] })).toEqual([["widening", "browser pages may now send header `x-a` to `app` (CORS)"]]);
    expect(diff(base, { ...base, exposeHeaders: ["x-total"] })).toEqual([
      ["widening", "response header `x-total` of `app` is now readable by browser pages (CORS)"],
    ]);
    expect(diff(base, { ...base, credentials: true })).toEqual([["widening", "browser pages may now send credentials (cookies) to `app` (CORS)"]]);
    expect(diff({ ...base, credentials: true }, base)).toEqual([["narrowing", "browser pages may no longer send credentials (cookies) to `app` (CORS)"]]);
    expect(diff(base, { ...base, maxAgeSeconds: 60 })).toEqual([["neutral", "browsers may cache `app`'s CORS preflight for 60 s instead of 600 s"]]);
  });

  it("going to '*' is one widening; leaving it one narrowing", () => {
    expect(diff(base, { ...base, origins: ["*"] })).toEqual([
      ["widening", "browser pages from any origin may now call `app` (CORS), not only origin `https://a.example`"],
    ]);
    expect(diff({ ...base, origins: ["*"] }, base)).toEqual([
      ["narrowing", "browser pages may now call `app` only from origin `https://a.example`, no longer from any origin (CORS)"],
    ]);
  });

  it("reaches the endpoint diff as CORS sentences (not as a neutral 'field changed')", () => {
    const was = defineGateway(gw({ origins: ["https://a.example"] })).endpoints.a!;
    const now = defineGateway(gw({ origins: ["https://a.example", "https://b.example"], credentials: true })).endpoints.a!;
    expect(diffEndpoint(was, now).map((c) => [c.effect, c.kind, c.text])).toEqual([
      ["widening", "cors", "browser pages from origin `https://b.example` may now call `a` (CORS)"],
      ["widening", "cors", "browser pages may now send credentials (cookies) to `a` (CORS)"],
    ]);
  });
});
