import type { GatewayRequest, HeaderMap } from "../../ports/http-types.ts";
import type { ApiGatewayV2Event } from "./apigw-v2-types.ts";

/**
 * A payload v2 event as the engine's request. The path and query are `rawPath` and
 * `rawQueryString` byte for byte (never the decoded `queryStringParameters`, which lose order,
 * encoding and repeats); the API door passes a `rawPath` whose encoding it restored first
 * (`restoreApiGatewayPath`: HTTP APIs decode it, Function URLs do not). API Gateway moves the `Cookie` header into `cookies`; it is rebuilt here
 * with `; ` (RFC 6265). The body is decoded from base64 when flagged, and `content-length` is
 * set to the bytes actually received so the engine's size check sees the truth.
 */
export function toGatewayRequest(event: ApiGatewayV2Event, signal?: AbortSignal): GatewayRequest {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  if (event.cookies?.length) headers.cookie = event.cookies.join("; ");
  const body = event.body === undefined || event.body === null ? null : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
  if (body && body.byteLength > 0) headers["content-length"] = String(body.byteLength);
  else delete headers["content-length"];
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: event.rawQueryString ?? "",
    headers,
    body: body && body.byteLength > 0 ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : null,
    clientAddress: event.requestContext.http.sourceIp,
    ...(signal ? { signal } : {}),
  };
}
