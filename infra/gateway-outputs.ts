import type { TableNames } from "../functions/contracts/tables.ts";

/**
 * What a deployed gateway tells its users, one entry of the stack output `gateways` (keyed by
 * gateway name). `pulumi stack output --json > outputs.json` writes the file the CLI reads with
 * `--stack-outputs outputs.json`.
 *
 * @example
 * {
 *   "name": "payments", "id": "7c1f…", "region": "eu-west-1", "frontDoor": "api-gateway",
 *   "baseUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
 *   "streamUrl": null,
 *   "endpoints": { "stripe": "https://abc123.execute-api.eu-west-1.amazonaws.com/api/7c1f…/proxy/stripe" },
 *   "tables": { "tokens": "payments-tokens-1a2b3c", "rateLimits": "…", "audit": "…", "connections": "…" },
 *   "keyArn": "arn:aws:kms:eu-west-1:123456789012:key/…"
 * }
 */
export interface GatewayOutputs {
  name: string;
  id: string;
  region: string;
  /** Which service takes the clients' requests (the Gateway's `frontDoor` option). */
  frontDoor: "api-gateway" | "function-url";
  /** The HTTP API's URL (no trailing slash); with the `function-url` front door, the Function URL. */
  baseUrl: string;
  /** The streaming Function URL (no trailing slash); null when no endpoint is above 29 s. */
  streamUrl: string | null;
  /** Each endpoint's URL: clients append their path below it. */
  endpoints: Record<string, string>;
  tables: TableNames;
  /** The envelope key (secrets, sealed OAuth tokens). */
  keyArn: string;
}

/** The whole stack's outputs: one entry per deployed gateway. */
export interface StackOutputs {
  gateways: Record<string, GatewayOutputs>;
}
