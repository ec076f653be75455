import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import { canonicalJson } from "../../schema/revision.ts";

/**
 * What the Pulumi component (`infra/`) and the Lambda front door agree on: the environment
 * variable names the component sets and the function reads, the definition file in the archive,
 * and the longest timeout the API Gateway door serves. One module, two users, so neither side
 * imports the other.
 */
export const ENV = {
  tables: "GATEHOUSE_TABLES",
  keyArn: "GATEHOUSE_KEY_ARN",
  auditRetentionDays: "GATEHOUSE_AUDIT_RETENTION_DAYS",
  frontDoor: "GATEHOUSE_FRONT_DOOR",
  /** The streaming door's base URL, for the API door's 421 answer. */
  streamUrl: "GATEHOUSE_STREAM_URL",
} as const;

/** Which door a function serves: the API Gateway (buffered) or the streaming Function URL. */
export type FrontDoorKind = "api" | "stream";

/**
 * The longest endpoint timeout the API Gateway door serves. HTTP APIs cut every integration at
 * 30 s (a hard quota); one second is kept for Lambda start-up and the audit write, so the client
 * gets Gatehouse's own 504 rather than API Gateway's bare 503.
 */
export const API_DOOR_MAX_TIMEOUT_SECONDS = 29;

/** True when an endpoint's timeout needs the streaming Function URL door. */
export function needsStreamingDoor(endpoint: Endpoint): boolean {
  return endpoint.timeoutSeconds > API_DOOR_MAX_TIMEOUT_SECONDS;
}

/** The file name of the definition inside the Lambda archive, next to `index.mjs`. */
export const DEFINITION_FILE = "gateway.json";

/**
 * The file of the deploy-time KMS ciphertexts (base64, by secret name) inside the Lambda archive.
 * A file, not an environment variable: Lambda caps a function's variables at 4 KB together, and a
 * KMS ciphertext of 32 bytes of plaintext is already about 250 characters of base64.
 */
export const SECRETS_FILE = "secrets.json";

/**
 * Lambda's cap on a synchronous invocation's payload, request and response each: 6 MB (the Lambda
 * quotas page; Function URLs and API Gateway integrations alike), measured on the event or result JSON.
 */
export const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * The largest request body an AWS deploy can receive: a binary body reaches the function base64
 * in the event JSON (4 bytes per 3), next to headers of up to 10 KB, so about 4.4 MB of the 6 MB
 * payload. A larger request is refused by API Gateway or the Function URL before Gatehouse sees
 * it: no 413 of ours, no audit record.
 */
export const LAMBDA_MAX_REQUEST_BODY_BYTES = 4_400_000;

/** Lambda's cap on a function's environment variables, all together (the Lambda quotas page). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/** KMS Encrypt's largest plaintext (the KMS API reference, `Encrypt`: 1 to 4096 bytes). */
export const KMS_ENCRYPT_MAX_PLAINTEXT_BYTES = 4096;

/** Serialises the ciphertexts for {@link SECRETS_FILE}, keys sorted so the archive is deterministic. */
export function serializeCiphertexts(ciphertexts: Record<string, string>): string {
  return `${JSON.stringify(Object.fromEntries(Object.entries(ciphertexts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), null, 1)}\n`;
}

/**
 * Serialises a validated gateway for the Lambda archive: the validated form, so the function runs
 * exactly the definition `pulumi up` showed, defaults included. Keys are sorted, so a definition
 * whose keys were only reordered leaves the asset hash (and the deployed code) unchanged.
 */
export function serializeDefinition(gateway: Gateway): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(gateway)), null, 1)}\n`;
}
