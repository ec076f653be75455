import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, secret, type Method } from "gatehouse-gateway";
import { startHarness, type Harness } from "../helpers/harness.ts";
import { send } from "../helpers/send.ts";
import type { UpstreamStub } from "../helpers/upstream-stub.ts";
import { startEchoAuthorization } from "./echo-authorization.ts";

// Issue 19 item 6 on the Node door: the value is built at request time from the secret source,
// the upstream gets exactly the scheme it expects, and a reflected copy never reaches the client.

const KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const USER = "jira-bot@acme.example";
const PASS = "ATATT3xFfGF0-pässwörd";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const stars = (s: string) => "*".repeat(s.length);

let upstream: UpstreamStub;
let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startEchoAuthorization();
  const common = { methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  h = await startHarness(
    {
      name: "templates",
      endpoints: {
        stripe: { ...common, upstream: `${upstream.url}/stripe`, headers: { inject: { authorization: secret("STRIPE_KEY", { prefix: "Bearer " }) } } },
        jira: { ...common, upstream: `${upstream.url}/jira`, headers: { inject: { authorization: basicAuth(secret("JIRA_USER"), secret("JIRA_TOKEN")) } } },
        keyuser: { ...common, upstream: `${upstream.url}/ku`, headers: { inject: { authorization: basicAuth(secret("STRIPE_KEY"), "") } } },
        colon: { ...common, upstream: `${upstream.url}/colon`, headers: { inject: { authorization: basicAuth(secret("COLON_USER"), secret("JIRA_TOKEN")) } } },
        missing: { ...common, upstream: `${upstream.url}/missing`, headers: { inject: { authorization: secret("NOT_SET", { prefix: "Bearer " }) } } },
      },
    },
    { secrets: { STRIPE_KEY: KEY, JIRA_USER: USER, JIRA_TOKEN: PASS, COLON_USER: "a:b" } },
  );
  auth = { authorization: `Bearer ${(await h.token()).token}` };
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

const lastSeen = () => upstream.seen[upstream.seen.length - 1]!;

describe("secret templates on the Node door", () => {
  it("secret(NAME, { prefix }) sends the prefix and the bare value; the echo is masked after the prefix", async () => {
    const res = await send(h.url("stripe", "/charges"), { headers: auth });
    expect(res.status).toBe(200);
    expect(lastSeen().headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(res.text)).toEqual({ authorization: `Bearer ${stars(KEY)}`, apiKey: "" });
    expect(res.headers["x-echo-authorization"]).toBe(`Bearer ${stars(KEY)}`);
    const [record] = (await h.audit(1)).slice(-1);
    expect(record).toMatchObject({ status: 200, secretsScrubbed: true });
  });

  it("basicAuth(secret, secret) sends Basic base64(user:password) of the UTF-8 bytes; the echoed credentials are masked", async () => {
    const res = await send(h.url("jira", "/rest/api/3/myself"), { headers: auth });
    expect(res.status).toBe(200);
    const credentials = b64(`${USER}:${PASS}`);
    expect(lastSeen().headers.authorization).toBe(`Basic ${credentials}`);
    expect(Buffer.from(credentials, "base64").toString("utf8")).toBe(`${USER}:${PASS}`);
    expect(JSON.parse(res.text).authorization).toBe(`Basic ${stars(credentials)}`);
    expect(res.headers["x-echo-authorization"]).toBe(`Basic ${stars(credentials)}`);
    expect(res.text).not.toContain(credentials);
  });

  it("basicAuth(secret, '') is Stripe's key-as-user-name form: base64(key + ':')", async () => {
    const res = await send(h.url("keyuser", "/balance"), { headers: auth });
    expect(res.status).toBe(200);
    expect(lastSeen().headers.authorization).toBe(`Basic ${b64(`${KEY}:`)}`);
  });

  it("a secret user name holding ':' is a 503 SECRET_UNAVAILABLE naming the secret, not its value; nothing is sent", async () => {
    const before = upstream.seen.length;
    const res = await send(h.url("colon", "/x"), { headers: auth });
    expect(res.status).toBe(503);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const problem = JSON.parse(res.text);
    expect(problem.code).toBe("SECRET_UNAVAILABLE");
    expect(upstream.seen.length).toBe(before);
    const record = (await h.audit(1)).at(-1)!;
    expect(record).toMatchObject({
      status: 503,
      decision: "SECRET_UNAVAILABLE",
      reason: "secret COLON_USER holds ':', which a Basic user name cannot carry (RFC 7617)",
    });
    expect(JSON.stringify(record)).not.toContain("a:b");
    expect(JSON.stringify(problem)).not.toContain("a:b");
  });

  it("a prefixed secret that is not set is a 503 SECRET_UNAVAILABLE", async () => {
    const res = await send(h.url("missing", "/x"), { headers: auth });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).code).toBe("SECRET_UNAVAILABLE");
  });
});
