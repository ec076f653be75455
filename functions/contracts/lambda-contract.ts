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
  secrets: "GATEHOUSE_SECRETS",
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
 * Serialises a validated gateway for the Lambda archive: the validated form, so the function runs
 * exactly the definition `pulumi up` showed, defaults included. Keys are sorted, so a definition
 * whose keys were only reordered leaves the asset hash (and the deployed code) unchanged.
 */
export function serializeDefinition(gateway: Gateway): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(gateway)), null, 1)}\n`;
}
