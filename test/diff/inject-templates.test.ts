import { describe, expect, it } from "vitest";
import { basicAuth, secret } from "gatehouse-gateway";
import { diffInjectedHeaders } from "../../cli/diff/diff-injected-headers.ts";
import type { InjectValue } from "../../schema/inject-value.ts";

// How `gatehouse diff` classes changes of secret templates: reading a secret the header did not
// read before widens; a change of form around the same secrets is neutral; values never appear.

const diff = (was: InjectValue | undefined, now: InjectValue | undefined) =>
  diffInjectedHeaders("stripe", was === undefined ? {} : { authorization: was }, now === undefined ? {} : { authorization: now }).map((c) => [
    c.effect,
    c.text,
  ]);

describe("diff of secret templates", () => {
  it("an added prefixed secret widens and shows the prefix and the name", () => {
    expect(diff(undefined, secret("STRIPE_BEARER", { prefix: "Bearer " }))).toEqual([
      ["widening", '`stripe` now injects header `authorization` from "Bearer " + secret `STRIPE_BEARER`'],
    ]);
  });

  it("adding a prefix to the same secret is neutral", () => {
    expect(diff(secret("STRIPE_BEARER"), secret("STRIPE_BEARER", { prefix: "Bearer " }))).toEqual([
      ["neutral", 'header `authorization` injected on `stripe` is now "Bearer " + secret `STRIPE_BEARER` instead of secret `STRIPE_BEARER`'],
    ]);
  });

  it("Basic credentials reading a new secret widen", () => {
    expect(diff(secret("PASS"), basicAuth(secret("USER"), secret("PASS")))).toEqual([
      [
        "widening",
        "header `authorization` injected on `stripe` now comes from HTTP Basic (user name: secret `USER`, password: secret `PASS`) instead of secret `PASS`",
      ],
    ]);
  });

  it("Basic credentials losing a secret are neutral; a changed literal user name is named as a literal part, unshown", () => {
    expect(diff(basicAuth(secret("USER"), secret("PASS")), basicAuth("svc", secret("PASS")))).toEqual([
      [
        "neutral",
        "header `authorization` injected on `stripe` is now HTTP Basic (user name: a literal, password: secret `PASS`) instead of HTTP Basic (user name: secret `USER`, password: secret `PASS`)",
      ],
    ]);
    const changed = diff(basicAuth("svc-a", secret("PASS")), basicAuth("svc-b", secret("PASS")));
    expect(changed).toEqual([["neutral", "literal part of header `authorization` injected on `stripe` changed (values are not shown)"]]);
    expect(JSON.stringify(changed)).not.toContain("svc-");
  });

  it("an unchanged template is no change", () => {
    expect(diff(basicAuth(secret("U"), ""), basicAuth(secret("U"), ""))).toEqual([]);
  });
});
