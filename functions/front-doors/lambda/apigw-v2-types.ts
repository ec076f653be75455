/**
 * The API Gateway HTTP API payload format 2.0 (also what Lambda Function URLs send), reduced to
 * the fields Gatehouse reads. Written here rather than taken from `@types/aws-lambda` so the
 * front door depends on nothing but the wire format.
 */
export interface ApiGatewayV2Event {
  version: "2.0";
  routeKey: string;
  /** Function URLs: the path exactly as the client sent it. API Gateway HTTP APIs: percent-DECODED (see restore-path-encoding.ts). No stage with `$default`. */
  rawPath: string;
  /** The query exactly as sent, without `?`; empty string when there is none. */
  rawQueryString: string;
  /** The client's `Cookie` header, split on `;` (API Gateway removes the header itself). */
  cookies?: string[];
  /** Lower-case names; repeated headers already joined with commas. */
  headers?: Record<string, string | undefined>;
  requestContext: {
    requestId?: string;
    /** `$default`, or the named stage whose name then prefixes `rawPath` (API Gateway only). */
    stage?: string;
    http: { method: string; path?: string; protocol?: string; sourceIp: string; userAgent?: string };
    timeEpoch?: number;
  };
  body?: string;
  isBase64Encoded?: boolean;
}

/** The structured response form (the only one Gatehouse returns, so a bug never becomes a 200). */
export interface ApiGatewayV2Result {
  statusCode: number;
  /** Single string values; repeated headers joined with commas. Never `set-cookie`. */
  headers: Record<string, string>;
  /** Each entry becomes one `Set-Cookie` header. */
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** The part of the Lambda context object Gatehouse reads. */
export interface LambdaContext {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}
