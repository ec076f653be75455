import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Gateway } from "../schema/gateway.ts";
import type { GatewayAlarmOptions } from "./alarm-options.ts";

/** Which AWS service takes the clients' requests: see {@link GatewayArgs.frontDoor}. */
export type FrontDoor = "api-gateway" | "function-url";

/** A hook that adjusts one child's arguments before it is created: mutate `args`, or return new ones. */
export type Transform<T> = (args: T, name: string) => T | void;

/** One override hook per kind of child resource (SST-style `transform`, run in our code so it also runs under mocks). */
export interface GatewayTransforms {
  table?: Transform<aws.dynamodb.TableArgs>;
  key?: Transform<aws.kms.KeyArgs>;
  alias?: Transform<aws.kms.AliasArgs>;
  role?: Transform<aws.iam.RoleArgs>;
  rolePolicy?: Transform<aws.iam.RolePolicyArgs>;
  logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  function?: Transform<aws.lambda.FunctionArgs>;
  functionUrl?: Transform<aws.lambda.FunctionUrlArgs>;
  permission?: Transform<aws.lambda.PermissionArgs>;
  api?: Transform<aws.apigatewayv2.ApiArgs>;
  integration?: Transform<aws.apigatewayv2.IntegrationArgs>;
  route?: Transform<aws.apigatewayv2.RouteArgs>;
  stage?: Transform<aws.apigatewayv2.StageArgs>;
  ciphertext?: Transform<aws.kms.CiphertextArgs>;
  alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
  dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
}

/**
 * Arguments of the {@link Gateway} component: a validated definition plus deployment options.
 * `definition` and `auditRetentionDays` are recorded as the component's inputs under exactly
 * these names (policy packs read them).
 *
 * @example
 * new Gateway("payments", {
 *   definition: payments,                       // defineGateway({...})
 *   secrets: { STRIPE_BEARER: config.requireSecret("STRIPE_BEARER") },
 *   memorySize: 1024,
 *   tags: { team: "billing" },
 * });
 */
export interface GatewayArgs {
  /** The gateway, as returned by `defineGateway` (validated, defaults filled in). */
  definition: Gateway;
  /**
   * A value for every `secret("NAME")` the definition uses, usually
   * `config.requireSecret(NAME)`. Encrypted with the gateway's KMS key at deploy time; only the
   * ciphertext reaches the function. @default {} (an error names every missing one)
   */
  secrets?: Record<string, pulumi.Input<string>>;
  /** Lambda memory in MB (CPU grows with it). @default 512 */
  memorySize?: number;
  /** @default "arm64" */
  architecture?: "arm64" | "x86_64";
  /** The Lambda Node runtime (Node 24 LTS, the version the bundle is built and tested for). @default "nodejs24.x" */
  runtime?: "nodejs24.x";
  /** Retention of the function and access logs; a CloudWatch retention value. @default 30 */
  logRetentionDays?: number;
  /** Days an audit record lives before DynamoDB TTL removes it. @default 90 */
  auditRetentionDays?: number;
  /** DynamoDB deletion protection on every table. @default true */
  deletionProtection?: boolean;
  /**
   * Throttling of the API Gateway URL, for the whole gateway: requests per second, steady and
   * burst. HTTP APIs throttle per route, and the component plans one route, so this is the cap on
   * every request to `baseUrl` together (beyond it, API Gateway answers 429 before the function
   * runs). The streaming Function URL has no such throttle; `reservedConcurrency` bounds it.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  throttle?: { rateLimit: number; burstLimit: number };
  /**
   * Which AWS service takes the clients' requests.
   * - `"api-gateway"`: an API Gateway HTTP API (payload 2.0, buffered) serves every endpoint of at
   *   most 29 s, with its stage throttle, JSON access logs and room for a custom domain; endpoints
   *   above 29 s get a response-streaming Function URL next to it.
   * - `"function-url"`: no API Gateway at all. One response-streaming Lambda Function URL serves
   *   every endpoint: no per-request API Gateway fee ($1.00 per million), the client's path
   *   encoding kept byte for byte (`%2F` included), no 30 s limit, responses streamed (up to
   *   200 MB). There is no stage throttle (`throttle` is then an error): `reservedConcurrency`
   *   and the endpoints' rate limits are the caps. Every client URL moves to the Function URL.
   * @example
   * new Gateway("payments", { definition: payments, frontDoor: "function-url" });
   * @default "api-gateway"
   */
  frontDoor?: FrontDoor;
  /**
   * Reserved concurrency of the whole gateway, a whole number of at least 1: the API function gets
   * it all, or, when the gateway has a streaming door, the API function half rounded up and the
   * stream function the rest (so it must then be at least 2). @default none (the unreserved pool)
   */
  reservedConcurrency?: number;
  /**
   * CloudWatch alarms on the gateway's metrics: 5xx rate, upstream errors and timeouts, an OAuth
   * connection needing re-authorization (with connections), Lambda throttles; each notifies
   * `topicArn` when given. `false` creates none. A CloudWatch dashboard per gateway is made either way.
   * @example
   * alarms: { topicArn: oncall.arn, errorRatePercent: 2 }
   * @default { errorRatePercent: 5, minRequests: 20, upstreamFailures: 5, periodSeconds: 300 } (no topic)
   */
  alarms?: false | GatewayAlarmOptions;
  /** Tags on every taggable child, added to `gatehouse:gateway`. @default {} */
  tags?: Record<string, string>;
  /** Per-child override hooks. @default {} */
  transform?: GatewayTransforms;
}

/** The defaults of {@link GatewayArgs}, in one place (documented above, applied in the component). */
export const GATEWAY_DEFAULTS = {
  memorySize: 512,
  architecture: "arm64",
  runtime: "nodejs24.x",
  logRetentionDays: 30,
  auditRetentionDays: 90,
  deletionProtection: true,
  throttle: { rateLimit: 100, burstLimit: 200 },
  frontDoor: "api-gateway",
} as const;

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
