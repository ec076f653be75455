import { LAMBDA_MAX_PAYLOAD_BYTES } from "../../contracts/lambda-contract.ts";
import type { GatewayResponse } from "../../ports/http-types.ts";
import type { ApiGatewayV2Result } from "./apigw-v2-types.ts";
import { frontDoorProblem } from "./front-door-problem.ts";
import { responseHead } from "./response-head.ts";

/**
 * Largest result returned through API Gateway, counted as Lambda counts it: the result's JSON as
 * the runtime posts it, so a binary body after base64 (4 bytes per 3, about 4.7 MB of bytes at
 * most) and a text body after JSON escaping (a `"` or `\` takes 2 bytes, a control character 6).
 */
export const MAX_BUFFERED_RESULT_BYTES = LAMBDA_MAX_PAYLOAD_BYTES;

/** Raw body bytes read before giving up: encoding never shrinks a body, so more can never fit. */
export const MAX_BUFFERED_BODY_BYTES = MAX_BUFFERED_RESULT_BYTES;

const TEXTUAL = /^(text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|javascript|x-www-form-urlencoded)\b)/i;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the engine's response to its end (the engine writes the audit record when the body is
 * finished, so returning earlier would lose or delay it) and turns it into a payload v2 result.
 * Text comes back as text, everything else (images, gzip, unknown types, invalid UTF-8) as
 * base64 with `isBase64Encoded`. A body too large for Lambda is drained, then answered with a
 * 502 problem naming the limit; a body that breaks mid-way becomes a 502 too, as no head was sent.
 */
export async function toLambdaResult(response: GatewayResponse, method: string): Promise<ApiGatewayV2Result> {
  const requestId = typeof response.headers["x-request-id"] === "string" ? response.headers["x-request-id"] : undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (response.body instanceof Uint8Array) {
      chunks.push(response.body);
      size = response.body.byteLength;
    } else if (response.body) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size <= MAX_BUFFERED_BODY_BYTES) chunks.push(chunk);
      }
    }
  } catch {
    return frontDoorProblem(502, "UPSTREAM_INTERRUPTED", "Bad gateway", "The upstream response broke off before it was complete.", requestId);
  }
  const tooLarge = (what: string) =>
    frontDoorProblem(
      502,
      "RESPONSE_TOO_LARGE",
      "Bad gateway",
      `The upstream response (${size} bytes, ${what}) is larger than API Gateway and Lambda can return (a ${MAX_BUFFERED_RESULT_BYTES}-byte result, body encoded); the streaming Function URL has no such limit.`,
      requestId,
    );
  if (size > MAX_BUFFERED_BODY_BYTES) return tooLarge("before encoding");
  const { headers, cookies } = responseHead(response.headers);
  const bytes = Buffer.concat(chunks, size);
  const head = { statusCode: response.status, headers, ...(cookies.length ? { cookies } : {}) };
  if (method === "HEAD" || bytes.byteLength === 0) return { ...head, body: "", isBase64Encoded: false };
  const text = TEXTUAL.test(headers["content-type"] ?? "") ? decodeUtf8(bytes) : null;
  const result = text === null ? { ...head, body: bytes.toString("base64"), isBase64Encoded: true } : { ...head, body: text, isBase64Encoded: false };
  const encoded = Buffer.byteLength(JSON.stringify(result), "utf8");
  return encoded > MAX_BUFFERED_RESULT_BYTES ? tooLarge(`${encoded} bytes as the result's JSON`) : result;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
