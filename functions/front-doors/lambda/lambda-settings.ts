import { ENV, type FrontDoorKind } from "../../contracts/lambda-contract.ts";
import type { TableNames } from "../../contracts/tables.ts";


/** What the AWS composition root is built from. */
export interface AwsSettings {
  region: string;
  tables: TableNames;
  /** The envelope key (KMS SecretBox data keys, deploy-time secrets). */
  keyArn: string;
  /** Deploy-time KMS ciphertexts (base64) by secret name. Never plaintext. */
  secretCiphertexts: Record<string, string>;
  auditRetentionDays: number;
  frontDoor: FrontDoorKind;
}

/**
 * Reads the settings the component put in the function's environment. Everything but the
 * definition (a file in the archive, see `parseBundledDefinition`) comes from here; a missing or
 * malformed value is an error naming the variable, raised at cold start.
 */
export function readAwsSettings(env: Record<string, string | undefined> = process.env): AwsSettings {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set (the Gatehouse component sets it)`);
    return value;
  };
  const json = <T>(name: string): T => {
    try {
      return JSON.parse(need(name)) as T;
    } catch (error) {
      throw error instanceof SyntaxError ? new Error(`environment variable ${name} is not valid JSON`) : error;
    }
  };
  const retention = Number(env[ENV.auditRetentionDays] ?? "90");
  if (!Number.isInteger(retention) || retention < 1) throw new Error(`${ENV.auditRetentionDays} must be a whole number of days`);
  const frontDoor = env[ENV.frontDoor] ?? "api";
  if (frontDoor !== "api" && frontDoor !== "stream") throw new Error(`${ENV.frontDoor} must be "api" or "stream"`);
  return {
    region: env.AWS_REGION ?? need("AWS_DEFAULT_REGION"),
    tables: json<TableNames>(ENV.tables),
    keyArn: need(ENV.keyArn),
    secretCiphertexts: env[ENV.secrets] ? json<Record<string, string>>(ENV.secrets) : {},
    auditRetentionDays: retention,
    frontDoor,
  };
}
