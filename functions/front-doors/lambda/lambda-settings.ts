import { ENV, SECRETS_FILE, type FrontDoorKind } from "../../contracts/lambda-contract.ts";
import type { TableNames } from "../../contracts/tables.ts";

/** What the AWS composition root is built from. */
export interface AwsSettings {
  region: string;
  tables: TableNames;
  /** The envelope key (KMS SecretBox data keys, deploy-time secrets). */
  keyArn: string;
  /** Deploy-time KMS ciphertexts (base64) by secret name, from the archive's `secrets.json`. Never plaintext. */
  secretCiphertexts: Record<string, string>;
  auditRetentionDays: number;
  frontDoor: FrontDoorKind;
}

/**
 * Reads the settings the component put in the function's environment. Everything but the
 * definition and the secret ciphertexts (files in the archive, see `parseBundledDefinition` and
 * `parseCiphertexts`) comes from here; a missing or
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
    secretCiphertexts: {},
    auditRetentionDays: retention,
    frontDoor,
  };
}

/** The archive's `secrets.json`: base64 ciphertexts by secret name; anything else is an error naming the file. */
export function parseCiphertexts(json: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`the bundled ${SECRETS_FILE} is not valid JSON`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new Error(`the bundled ${SECRETS_FILE} must map secret names to base64 ciphertexts`);
  }
  return value as Record<string, string>;
}
