import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Gateway } from "../../../schema/gateway.ts";
import { secretContext } from "../../../schema/secret-names.ts";
import type { ApiGatewayV2Result } from "../../../functions/front-doors/lambda/apigw-v2-types.ts";
import { DynamoTokenStore } from "../../../functions/adapters/aws/dynamo-token-store.ts";
import { issueToken } from "../../../functions/tokens/issue-token.ts";
import { writeLambdaArchive } from "../../../infra/write-lambda-archive.ts";
import { startTestDynalite, type TestDynalite } from "../../helpers/dynalite.ts";
import { startFakeKmsServer, type FakeKmsServer } from "./fake-kms-server.ts";
import { lambdaEnvironment } from "./lambda-environment.ts";
import { node24Binary } from "./node-binaries.ts";
import { invokeBundle, type StreamedAnswer } from "./run-bundle.ts";

/** The Function URL the bundles of these tests are told they have. */
export const FIXTURE_STREAM_URL = "https://f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo.lambda-url.us-east-1.on.aws";

/** A gateway's built Lambda bundle on dynalite and the KMS stand-in, ready to invoke through either door. */
export interface BundleFixture {
  dynalite: TestDynalite;
  /** A client token for every endpoint of the gateway, in the bundle's tokens table. */
  token(): Promise<string>;
  /** The API Gateway door's buffered handler, one result per event. */
  api(events: unknown[], env?: Record<string, string>): Promise<ApiGatewayV2Result[]>;
  /** The Function URL door's streaming handler, one answer per event. */
  stream(events: unknown[], env?: Record<string, string>): Promise<StreamedAnswer[]>;
  stop(): Promise<void>;
}

/**
 * Builds `gateway`'s deployed archive (its secrets encrypted as `pulumi up` does, under the
 * gateway's context) and the stores it runs on, so a test invokes the code that ships.
 */
export async function startBundleFixture(prefix: string, gateway: Gateway, secrets: Record<string, string> = {}): Promise<BundleFixture> {
  const [dynalite, kms]: [TestDynalite, FakeKmsServer] = await Promise.all([startTestDynalite({ prefix }), startFakeKmsServer()]);
  const dir = await mkdtemp(join(tmpdir(), `gatehouse-${prefix}-`));
  const bundle = join(dir, "bundle");
  await writeLambdaArchive(
    bundle,
    gateway,
    Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, kms.encrypt(value, secretContext(gateway.id, name))])),
  );
  const env = lambdaEnvironment(dynalite, kms, { GATEHOUSE_STREAM_URL: FIXTURE_STREAM_URL });
  return {
    dynalite,
    async token() {
      const tokens = new DynamoTokenStore({ client: dynalite.client, tableName: dynalite.tables.tokens });
      return (await issueToken(tokens, { gatewayId: gateway.id, label: prefix, endpoints: null, now: Date.now() })).token;
    },
    api: async (events, extra = {}) =>
      (await invokeBundle<ApiGatewayV2Result>(node24Binary(), bundle, "handler", events, { ...env, ...extra, GATEHOUSE_FRONT_DOOR: "api" })).results,
    stream: async (events, extra = {}) =>
      (await invokeBundle<StreamedAnswer>(node24Binary(), bundle, "streamHandler", events, { ...env, ...extra, GATEHOUSE_FRONT_DOOR: "stream" })).results,
    async stop() {
      await Promise.all([dynalite.stop(), kms.stop(), rm(dir, { recursive: true, force: true })]);
    },
  };
}
