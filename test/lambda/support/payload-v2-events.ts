/**
 * Payload format 2.0 events in the shapes AWS documents, written here from the public
 * descriptions (not copied from any project):
 * - Lambda Function URLs ("Invoking Lambda function URLs", request payload format): `routeKey`
 *   and `stage` `$default`, `domainName` `<url-id>.lambda-url.<region>.on.aws`, `rawPath` exactly
 *   as the client encoded it, `pathParameters` and `stageVariables` null;
 * - API Gateway HTTP API ("Working with AWS Lambda proxy integrations for HTTP APIs"): the same
 *   fields, but `rawPath` and `requestContext.http.path` arrive percent-DECODED (honojs/hono #2156,
 *   fastify/aws-lambda-fastify #169, middleapi/standard-server #93 quoting live captures in
 *   hotsock/voker #8), and `pathParameters.proxy` for a `{proxy+}` route.
 * Both: header names lower-case, repeated headers comma-joined, `Cookie` moved into `cookies`,
 * `body` absent (or null) when there is none, `isBase64Encoded` true for binary bodies.
 */
export interface EventInput {
  method?: string;
  /** The path as the client sent it (percent-encoded). */
  path: string;
  query?: string;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string | null;
  isBase64Encoded?: boolean;
  sourceIp?: string;
}

const TIME = { time: "01/Dec/2026:23:00:00 +0000", timeEpoch: 1_796_166_000_000 };

function common(input: EventInput, domainName: string, path: string) {
  const headers = {
    "content-length": String(input.body ? Buffer.byteLength(input.body, input.isBase64Encoded ? "base64" : "utf8") : 0),
    host: domainName,
    "user-agent": "curl/8.5.0",
    "x-amzn-trace-id": "Root=1-674ce8a0-0a1b2c3d4e5f60718293a4b5",
    "x-forwarded-for": input.sourceIp ?? "203.0.113.9",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
    ...input.headers,
  };
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: input.query ?? "",
    ...(input.cookies?.length ? { cookies: input.cookies } : {}),
    headers,
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: input.isBase64Encoded ?? false,
    http: { method: input.method ?? "GET", path, protocol: "HTTP/1.1", sourceIp: input.sourceIp ?? "203.0.113.9", userAgent: "curl/8.5.0" },
  };
}

/** A Function URL event (what the streaming door receives). */
export function functionUrlEvent(input: EventInput, urlId = "f7xq2m4k9rtzv3hy6bnw8cdlpa0jseuo"): Record<string, unknown> {
  const domainName = `${urlId}.lambda-url.us-east-1.on.aws`;
  const { http, ...rest } = common(input, domainName, input.path);
  return {
    ...rest,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: "anonymous",
      apiId: urlId,
      authentication: null,
      authorizer: null,
      domainName,
      domainPrefix: urlId,
      http,
      requestId: "8f3c1a52-7d3e-4e0b-9a51-2c6d0e4f7b18",
      routeKey: "$default",
      stage: "$default",
      ...TIME,
    },
  };
}

/** Percent-decodes a path the way API Gateway HTTP APIs do before filling `rawPath`. */
export function apiGatewayDecode(path: string): string {
  return decodeURIComponent(path);
}

/** An API Gateway HTTP API event for a `$default`-stage `ANY /api/{proxy+}` route (the API door). */
export function apiGatewayEvent(input: EventInput, apiId = "k3x9p2q1ab"): Record<string, unknown> {
  const domainName = `${apiId}.execute-api.us-east-1.amazonaws.com`;
  const decoded = apiGatewayDecode(input.path);
  const { http, ...rest } = common(input, domainName, decoded);
  return {
    ...rest,
    routeKey: "ANY /api/{proxy+}",
    pathParameters: { proxy: decoded.replace(/^\/api\//, "") },
    requestContext: {
      accountId: "123456789012",
      apiId,
      domainName,
      domainPrefix: apiId,
      http,
      requestId: "Kq1aAbCdIAMEVxw=",
      routeKey: "ANY /api/{proxy+}",
      stage: "$default",
      ...TIME,
    },
  };
}
