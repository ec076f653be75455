import { GATEWAY_DEFAULTS } from "../infra/gateway-args.ts";
import type { CostReport, CostScenario } from "./lambda-cost.ts";
import { PLATFORM_LOG_BYTES_PER_INVOCATION, PRICES } from "./lambda-cost-prices.ts";

/** Dollars per million requests of one scenario, by service. */
export interface ScenarioCost {
  lambda: number;
  dynamodb: number;
  kms: number;
  logs: number;
  /** Everything Gatehouse itself costs (Lambda + DynamoDB + KMS + logs), without a front door. */
  gatehouse: number;
  /** Plus API Gateway HTTP API's own fee: the bill behind the default door. */
  withApiGateway: number;
}

/**
 * Prices one scenario per million requests at {@link PRICES}: Lambda requests plus billed
 * duration at the configured memory (arm64, the default), DynamoDB on-demand units, KMS calls,
 * and CloudWatch Logs ingestion of what the function printed plus Lambda's platform lines.
 *
 * @example
 * costOf(report.scenarios[0]).withApiGateway // dollars per million admitted requests
 */
export function costOf(scenario: CostScenario, memoryMb: number = GATEWAY_DEFAULTS.memorySize): ScenarioCost {
  const million = 1_000_000;
  const lambda = PRICES.lambda.perMillionRequests + (memoryMb / 1024) * (scenario.billedMs / 1000) * PRICES.lambda.arm64PerGbSecond * million;
  const dynamodb = scenario.writeUnits * PRICES.dynamodb.perMillionWriteUnits + scenario.readUnits * PRICES.dynamodb.perMillionReadUnits;
  const kms = ((scenario.kmsCalls * PRICES.kms.per10kRequests) / 10_000) * million;
  const logs = ((scenario.logBytes + PLATFORM_LOG_BYTES_PER_INVOCATION) / 1024 ** 3) * PRICES.cloudWatchLogs.perGbIngested * million;
  const gatehouse = lambda + dynamodb + kms + logs;
  return { lambda, dynamodb, kms, logs, gatehouse, withApiGateway: gatehouse + PRICES.apiGatewayHttp.perMillionRequests };
}

const usd = (value: number) => `$${value.toFixed(2)}`;
const units = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

/** The cost table as Markdown lines: one row per scenario, then the prices assumed and their sources. */
export function costTable(report: CostReport, memoryMb: number = GATEWAY_DEFAULTS.memorySize): string[] {
  const rows = report.scenarios.map((s) => {
    const c = costOf(s, memoryMb);
    return `| ${s.name} | ${units(s.writeUnits)} | ${units(s.readUnits)} | ${units(s.kmsCalls)} | ${s.billedMs} | ${usd(c.lambda)} | ${usd(c.dynamodb)} | ${usd(c.logs)} | **${usd(c.gatehouse)}** | ${usd(c.withApiGateway)} |`;
  });
  return [
    `Per warm request, measured on the built bundle (${report.node}, ${memoryMb} MB arm64, dynalite and loopback stand-ins; ${report.scenarios[0]?.requests ?? 0} requests per row). Dollars per million requests at ${PRICES.region} on-demand list prices read ${PRICES.readOn}:`,
    "",
    "| request | write units | read units | KMS calls | billed ms | Lambda | DynamoDB | logs | Gatehouse | + API Gateway HTTP API ($1.00) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `DynamoDB calls per request: ${report.scenarios.map((s) => `${s.name}: ${s.calls.join(", ") || "none"}`).join("; ")}. A cold start makes ${report.coldStartKmsCalls} KMS calls for this gateway (no secrets; one Decrypt per secret otherwise, once per instance).`,
    `Prices: Lambda $${PRICES.lambda.perMillionRequests} per million requests and $${PRICES.lambda.arm64PerGbSecond} per GB-s (arm64); DynamoDB $${PRICES.dynamodb.perMillionWriteUnits} per million write units, $${PRICES.dynamodb.perMillionReadUnits} per million read units; KMS $${PRICES.kms.per10kRequests} per 10,000 requests; CloudWatch Logs $${PRICES.cloudWatchLogs.perGbIngested} per GB ingested (the function's own lines plus about ${PLATFORM_LOG_BYTES_PER_INVOCATION} bytes of Lambda's START/END/REPORT lines); API Gateway HTTP API $${PRICES.apiGatewayHttp.perMillionRequests} per million (first 300 million a month). Sources: ${[
      ...PRICES.lambda.sources,
      ...PRICES.dynamodb.sources,
      ...PRICES.kms.sources,
      ...PRICES.cloudWatchLogs.sources,
      ...PRICES.apiGatewayHttp.sources,
    ].join("; ")}.`,
  ];
}
