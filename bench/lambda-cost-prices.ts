/**
 * The us-east-1 on-demand list prices the cost table assumes, with where they were read and
 * when (2026-12-02, through the search tool's stored copies of the pages; AWS's own pricing
 * pages render their figures client-side, so the numbers come from the pages cited beside
 * them, and each AWS page is cited for the unit definitions). Change them here when AWS does.
 */
export const PRICES = {
  readOn: "2026-12-02",
  region: "us-east-1",
  lambda: {
    /** Per request, either architecture. */
    perMillionRequests: 0.2,
    /** Per GB-second, first 7.5 billion GB-s a month. */
    arm64PerGbSecond: 0.0000133334,
    x86PerGbSecond: 0.0000166667,
    sources: [
      "https://aws.amazon.com/lambda/pricing/ (billing per 1 ms of duration, per request)",
      "https://cloudchipr.com/blog/aws-lambda-pricing (US East: Arm $0.0000133334 per GB-s for the first 7.5 billion GB-s, x86 $0.0000166667)",
    ],
  },
  dynamodb: {
    /** Per million write request units (since the November 2024 price cut). */
    perMillionWriteUnits: 0.625,
    /** Per million read request units; a strongly consistent read of up to 4 KB is 1 unit, eventually consistent 0.5. */
    perMillionReadUnits: 0.125,
    sources: [
      "https://aws.amazon.com/dynamodb/pricing/on-demand/ (unit definitions: 1 write unit per 1 KB written, 1 read unit per strongly consistent 4 KB)",
      "https://airbyte.com/data-engineering-resources/dynamodb-pricing (after the 50% cut of November 2024: $0.625 per million write units, $0.125 per million read units, US East)",
    ],
  },
  kms: {
    /** Per 10,000 symmetric requests (Decrypt, Encrypt, GenerateDataKey). */
    per10kRequests: 0.03,
    sources: ["https://aws.amazon.com/kms/pricing/", "https://www.wring.co/blog/aws-kms-pricing-guide ($0.03 per 10,000 requests)"],
  },
  cloudWatchLogs: {
    /** Per GB ingested, Standard log class. */
    perGbIngested: 0.5,
    sources: ["https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, Standard class: $0.50 per GB ingested)"],
  },
  apiGatewayHttp: {
    /** Per million requests, first 300 million a month. */
    perMillionRequests: 1.0,
    sources: [
      "https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs: pay per API call received)",
      "https://awsforengineers.com/blog/aws-api-gateway-pricing-explained (HTTP APIs: $1.00 per million for the first 300 million)",
    ],
  },
} as const;

/**
 * Bytes Lambda itself writes to the function's log group per invocation (the START, END and
 * REPORT lines in the text format, about 330 bytes with the request id and the REPORT figures);
 * an estimate, counted beside what the function's own code printed, which is measured.
 */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 330;
