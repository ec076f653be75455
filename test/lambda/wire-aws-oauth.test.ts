import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineGateway, oauth, secret } from "gatehouse-gateway";
import { DynamoAuditSink } from "../../functions/adapters/aws/dynamo-audit-sink.ts";
import { DynamoTokenStore } from "../../functions/adapters/aws/dynamo-token-store.ts";
import { readAwsSettings } from "../../functions/front-doors/lambda/lambda-settings.ts";
import { serializeDefinition } from "../../functions/contracts/lambda-contract.ts";
import { wireAws } from "../../functions/front-doors/lambda/wire-aws.ts";
import { issueToken } from "../../functions/tokens/issue-token.ts";
import { startTestDynalite, type TestDynalite } from "../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./support/fake-kms-server.ts";
import { lambdaEnvironment } from "./support/lambda-environment.ts";

let dynalite: TestDynalite;
let kms: FakeKmsServer;

const gateway = defineGateway({
  name: "gh-aws",
  connections: { github: oauth.github({ clientId: "Iv1.test", clientSecret: secret("GITHUB_CLIENT_SECRET") }) },
  endpoints: { github: { upstream: "https://api.github.com", methods: ["GET"], connection: "github" } },
});

beforeAll(async () => {
  [dynalite, kms] = await Promise.all([startTestDynalite({ prefix: "wireoauth" }), startFakeKmsServer()]);
  // The SDK clients wireAws builds read their endpoints from the environment, as in Lambda.
  Object.assign(process.env, lambdaEnvironment(dynalite, kms));
}, 30_000);
afterAll(async () => Promise.all([dynalite?.stop(), kms?.stop()]));

describe("the AWS wiring of a gateway with OAuth connections", () => {
  it("serves the connect routes and reads the connection from the DynamoDB store", async () => {
    const settings = readAwsSettings(lambdaEnvironment(dynalite, kms, { GATEHOUSE_AUDIT_RETENTION_DAYS: "7", GATEHOUSE_FRONT_DOOR: "api" }));
    const secretCiphertexts = { GITHUB_CLIENT_SECRET: kms.encrypt("gh-secret", { gateway: gateway.id, purpose: "secret", name: "GITHUB_CLIENT_SECRET" }) };
    const { engine } = await wireAws(serializeDefinition(gateway), { ...settings, secretCiphertexts });

    // Without an operator-issued session the start route refuses; it exists (not a 404).
    const start = await engine.handle({
      method: "GET",
      path: `/api/${gateway.id}/oauth/github/start`,
      query: "",
      headers: {},
      body: null,
      clientAddress: "203.0.113.9",
    });
    expect(start.status).toBeGreaterThanOrEqual(400);
    expect(start.status).toBeLessThan(500);
    expect(start.status).not.toBe(404);

    // A proxied call asks the connection store, which has no grant yet.
    const { token } = await issueToken(new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens }), {
      gatewayId: gateway.id,
      label: "app",
      now: Date.now(),
    });
    const proxied = await engine.handle({
      method: "GET",
      path: `/api/${gateway.id}/proxy/github/user`,
      query: "",
      headers: { authorization: `Bearer ${token}` },
      body: null,
      clientAddress: "203.0.113.9",
    });
    expect(proxied.status).toBe(503);
    const problem = JSON.parse(Buffer.from(proxied.body as Uint8Array).toString("utf8"));
    expect(problem).toMatchObject({ code: "CONNECTION_NOT_CONNECTED", connection: "github", reconnect: "gatehouse connect gh-aws github" });
    const records = await new DynamoAuditSink({ client: dynalite.client, tableName: dynalite.tables.audit }).query({ gatewayId: gateway.id });
    const audited = records.find((r) => r.endpoint === "github")!;
    expect(audited.decision).toBe("CONNECTION_NOT_CONNECTED");
    expect(audited.reason).not.toBe("no connection store is configured");
  });
});
