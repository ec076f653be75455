/**
 * Gatehouse on AWS, as Pulumi components (`gatehouse/infra`).
 *
 * @example
 * import * as pulumi from "@pulumi/pulumi";
 * import { Gateway } from "gatehouse-gateway/infra";
 * import payments from "./gateways/payments.ts";
 *
 * const config = new pulumi.Config();
 * const gw = new Gateway("payments", {
 *   definition: payments,
 *   secrets: { STRIPE_BEARER: config.requireSecret("STRIPE_BEARER") },
 *   auditRetentionDays: 365,   // @default 90
 *   logRetentionDays: 90,      // @default 30
 *   frontDoor: "function-url", // @default "api-gateway"; no API Gateway, every endpoint on a streaming Function URL
 * });
 * export const endpoints = gw.endpointUrls;
 */
export { Gateway, GATEWAY_TYPE } from "./gateway.ts";
export { GATEWAY_DEFAULTS, LOG_RETENTION_DAYS, type FrontDoor, type GatewayArgs, type GatewayTransforms, type Transform } from "./gateway-args.ts";
export type { GatewayOutputs, StackOutputs } from "./gateway-outputs.ts";
export { deployGateways, deploymentOptionsFromConfig, type DeploymentOptions, type DeployGatewaysOptions } from "./deploy-gateways.ts";
export { loadGatewayFolder, loadGatewayFiles } from "./load-gateway-folder.ts";
export { buildLambdaBundle, LAMBDA_ENTRY, type LambdaBundle, type BundleOptions } from "./build-lambda-bundle.ts";
export { runUnderMocks, mask, MASK, type PlannedResource, type MockRun, type MockOptions } from "./run-under-mocks.ts";
export { rolePolicyStatements, type PolicyStatement } from "./role-policy.ts";
export { functionTimeoutSeconds } from "./timeouts.ts";
export { HTTP_API_MAX_INTEGRATION_MS, apiDoorUpstreamMaxSeconds, storeBudgetMs } from "../functions/contracts/lambda-time-budget.ts";
export { API_DOOR_MAX_TIMEOUT_SECONDS } from "../functions/contracts/lambda-contract.ts";
