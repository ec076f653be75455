import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, defineGateway, secret, type Method } from "../../schema/index.ts";
import type { Gateway } from "../../schema/gateway.ts";
import type { ApiGatewayV2Result } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import type { UpstreamStub } from "../helpers/upstream-stub.ts";
import { startFakeKmsServer, type FakeKmsServer } from "../lambda/support/fake-kms-server.ts";
import { lambdaEnvironment } from "../lambda/support/lambda-environment.ts";
import { node24Binary } from "../lambda/support/node-binaries.ts";
import { apiGatewayEvent, functionUrlEvent } from "../lambda/support/payload-v2-events.ts";
import { invokeBundle, streamedText, type StreamedAnswer } from "../lambda/support/run-bundle.ts";
import { startEchoAuthorization } from "./echo-authorization.ts";

// Issue 19 item 6 on both Lambda doors of the built bundle: the secrets come from secrets.json
// (KMS ciphertexts, as `pulumi up` writes them), the header is built at request time.

const KEY = "sk_live_51Hk2lambda9fQ";
const USER = "svc-user";
const PASS = "pa55-w0rd-lambda";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const stars = (s: string) => "*".repeat(s.length);

let dynalite: TestDynalite;
let kms: FakeKmsServer;
let upstream: UpstreamStub;
let gateway: Gateway;
let dir: string;
let env: Record<string, string>;
let token: string;

beforeAll(async () => {
  [dynalite, kms, upstream] = await Promise.all([startTestDynalite({ prefix: "templates" }), startFakeKmsServer(), startEchoAuthorization()]);
  const common = { methods: ["GET"] satisfies Method[], unsafeAllowPrivateNetworks: ["127.0.0.1/32"] };
  gateway = defineGateway({
    name: "templates-lambda",
    endpoints: {
      bearer: { ...common, upstream: `${upstream.url}/b`, headers: { inject: { authorization: secret("KEY", { prefix: "Bearer " }) } } },
      basic: { ...common, upstream: `${upstream.url}/u`, headers: { inject: { authorization: basicAuth(secret("USER"), secret("PASS")) } } },
    },
  });
  const context = (name: string) => ({ gateway: gateway.id, purpose: "secret", name });
  dir = await mkdtemp(join(tmpdir(), "gatehouse-templates-"));
  await writeLambdaArchive(join(dir, "bundle"), gateway, {
    KEY: kms.encrypt(KEY, context("KEY")),
    USER: kms.encrypt(USER, context("USER")),
    PASS: kms.encrypt(PASS, context("PASS")),
  });
  const tokens = new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens });
  token = (await issueToken(tokens, { gatewayId: gateway.id, label: "tpl", endpoints: null, now: Date.now() })).token;
  env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_STREAM_URL: "https://f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo.lambda-url.us-east-1.on.aws" });
}, 60_000);

afterAll(async () => {
  await Promise.all([dynalite?.stop(), kms?.stop(), upstream?.close(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

describe("secret templates on both Lambda doors", () => {
  const event = (slug: string) => ({ path: `/api/${gateway.id}/proxy/${slug}/x`, headers: { authorization: `Bearer ${token}` } });
  let api: ApiGatewayV2Result[];
  let stream: StreamedAnswer[];
  let seen: string[];

  beforeAll(async () => {
    upstream.seen.length = 0;
    const bundle = join(dir, "bundle");
    api = (
      await invokeBundle<ApiGatewayV2Result>(
        node24Binary(),
        bundle,
        "handler",
        ["bearer", "basic"].map((s) => apiGatewayEvent(event(s))),
        {
          ...env,
          GATEHOUSE_FRONT_DOOR: "api",
        },
      )
    ).results;
    stream = (
      await invokeBundle<StreamedAnswer>(
        node24Binary(),
        bundle,
        "streamHandler",
        ["bearer", "basic"].map((s) => functionUrlEvent(event(s))),
        {
          ...env,
          GATEHOUSE_FRONT_DOOR: "stream",
        },
      )
    ).results;
    seen = upstream.seen.map((s) => String(s.headers.authorization));
  }, 60_000);

  it("the upstream receives `Bearer <key>` and `Basic base64(user:pass)` through both doors", () => {
    expect(seen).toEqual([`Bearer ${KEY}`, `Basic ${b64(`${USER}:${PASS}`)}`, `Bearer ${KEY}`, `Basic ${b64(`${USER}:${PASS}`)}`]);
  });

  it("the API door's answers mask the reflected values in body and headers", () => {
    expect(api.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(JSON.parse(api[0]!.body).authorization).toBe(`Bearer ${stars(KEY)}`);
    expect(JSON.parse(api[1]!.body).authorization).toBe(`Basic ${stars(b64(`${USER}:${PASS}`))}`);
    expect(api[1]!.headers["x-echo-authorization"]).toBe(`Basic ${stars(b64(`${USER}:${PASS}`))}`);
  });

  it("the stream door's answers mask them too", () => {
    expect(stream.map((a) => a.prelude.statusCode)).toEqual([200, 200]);
    expect(JSON.parse(streamedText(stream[0]!)).authorization).toBe(`Bearer ${stars(KEY)}`);
    expect(JSON.parse(streamedText(stream[1]!)).authorization).toBe(`Basic ${stars(b64(`${USER}:${PASS}`))}`);
  });
});
