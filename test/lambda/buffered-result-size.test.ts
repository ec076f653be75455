import { describe, expect, it } from "vitest";
import { MAX_BUFFERED_RESULT_BYTES, toLambdaResult } from "../../functions/front-doors/lambda/to-lambda-result.ts";

// Lambda caps the result JSON at 6 MB: what counts is the encoded body (base64, or JSON-escaped text).
async function* chunked(bytes: Buffer, size = 1 << 20): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}
const answer = (contentType: string, bytes: Buffer) =>
  toLambdaResult({ status: 200, headers: { "content-type": contentType, "x-request-id": "req_2" }, body: chunked(bytes) }, "GET");

describe("the buffered door's size limit counts the encoded result", () => {
  it("is Lambda's 6 MB (6 MiB) payload", () => {
    expect(MAX_BUFFERED_RESULT_BYTES).toBe(6_291_456);
  });

  it("refuses a 3.5 MB text body that JSON escaping doubles past 6 MB", async () => {
    const r = await answer("application/json", Buffer.alloc(3_500_000, '"'));
    expect(r.statusCode).toBe(502);
    expect(JSON.parse(r.body)).toMatchObject({ code: "RESPONSE_TOO_LARGE", requestId: "req_2" });
    expect(JSON.parse(r.body).detail).toContain("7000");
  });

  it("returns a 4.6 MB binary body whose base64 result fits in 6 MB", async () => {
    const bytes = Buffer.alloc(4_600_000, 0xff);
    const r = await answer("image/png", bytes);
    expect(r.statusCode).toBe(200);
    expect(r.isBase64Encoded).toBe(true);
    expect(Buffer.from(r.body, "base64").equals(bytes)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThanOrEqual(MAX_BUFFERED_RESULT_BYTES);
  });

  it("refuses a 4.8 MB binary body whose base64 (6.4 MB) does not fit", async () => {
    const r = await answer("application/octet-stream", Buffer.alloc(4_800_000, 1));
    expect(r.statusCode).toBe(502);
    expect(JSON.parse(r.body).code).toBe("RESPONSE_TOO_LARGE");
  });

  it("returns a 5 MB plain-ASCII text body (no escaping) as text", async () => {
    const r = await answer("text/plain", Buffer.alloc(5_000_000, "a"));
    expect(r.statusCode).toBe(200);
    expect(r.isBase64Encoded).toBe(false);
    expect(r.body).toHaveLength(5_000_000);
  });
});
