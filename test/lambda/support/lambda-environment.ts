import type { TestDynalite } from "../../helpers/dynalite.ts";
import type { FakeKmsServer } from "./fake-kms-server.ts";

/**
 * The environment a bundled Lambda gets in these tests: what the Lambda runtime sets (region and
 * credentials as environment variables, the only credential source the bundle uses) with the SDK
 * endpoints pointed at dynalite and the KMS stand-in, plus the Gateway component's variables.
 */
export function lambdaEnvironment(dynalite: TestDynalite, kms: FakeKmsServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    GATEHOUSE_TABLES: JSON.stringify(dynalite.tables),
    GATEHOUSE_KEY_ARN: kms.keyArn,
    ...extra,
  };
}
