import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { ApiGatewayV2Event } from "../../functions/front-doors/lambda/apigw-v2-types.ts";
import { responseHead } from "../../functions/front-doors/lambda/response-head.ts";
import { toGatewayRequest } from "../../functions/front-doors/lambda/to-gateway-request.ts";
import { MAX_BUFFERED_BODY_BYTES, toLambdaResult } from "../../functions/front-doors/lambda/to-lambda-result.ts";
import { serializeDefinition } from "../../functions/contracts/lambda-contract.ts";
import { parseBundledDefinition } from "../../functions/front-doors/lambda/parse-bundled-definition.ts";
import { readAwsSettings } from "../../functions/front-doors/lambda/lambda-settings.ts";
import { defineGateway } from "../../schema/index.ts";

const fixture = async (name: string) => JSON.parse(await readFile(new URL(`../fixtures/apigw-v2/${name}.json`, import.meta.url), "utf8")) as ApiGatewayV2Event;

async function* chunks(...parts: string[]) {
  for (const p of parts) yield new Uint8Array(Buffer.from(p));
}

describe("payload v2 event -> GatewayRequest", () => {
  it("rebuilds Cookie from event.cookies, takes rawPath as given (the API door restores its encoding first) and rawQueryString and comma-joined headers, takes the client IP from sourceIp", async () => {
    const request = toGatewayRequest(await fixture("get-query-cookies-repeated-headers"));
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/api/a1c427a7-2d7d-54dd-958b-3522fc5e4463/proxy/echo/items/café x");
    expect(request.query).toBe("q=caf%C3%A9&tag=x&tag=y&empty=&sp=a+b%20c");
    expect(request.headers.cookie).toBe("session=abc123; theme=dark");
    expect(request.headers["x-multi"]).toBe("one,two");
    expect(request.headers["content-length"]).toBeUndefined();
    expect(request.body).toBeNull();
    expect(request.clientAddress).toBe("203.0.113.7");
  });

  it("decodes base64 bodies and sets content-length to the bytes received", async () => {
    const request = toGatewayRequest(await fixture("post-base64-binary-body"));
    expect([...(request.body as Uint8Array)]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(request.headers["content-length"]).toBe("256");
    const text = toGatewayRequest(await fixture("post-json-text-body"));
    expect(Buffer.from(text.body as Uint8Array).toString("utf8")).toBe('{"amount":4200,"note":"café ✓"}');
    expect(text.headers["content-length"]).toBe("34");
  });
});

describe("GatewayResponse -> payload v2 result", () => {
  it("puts each Set-Cookie in cookies and joins other repeated headers with ', ', dropping framing headers", () => {
    expect(
      responseHead({
        "Set-Cookie": ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"],
        vary: ["accept", "origin"],
        "content-length": "5",
        "transfer-encoding": "chunked",
        "x-one": "1",
      }),
    ).toEqual({ headers: { vary: "accept, origin", "x-one": "1" }, cookies: ["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"] });
  });

  it("reads a streamed body to its end; text stays text, other types and invalid UTF-8 go base64", async () => {
    const json = await toLambdaResult({ status: 201, headers: { "content-type": "application/problem+json" }, body: chunks('{"a":', '"é"}') }, "POST");
    expect(json).toEqual({ statusCode: 201, headers: { "content-type": "application/problem+json" }, body: '{"a":"é"}', isBase64Encoded: false });
    const bin = await toLambdaResult({ status: 200, headers: { "content-type": "application/octet-stream" }, body: new Uint8Array([0, 255, 1]) }, "GET");
    expect(bin).toMatchObject({ body: "AP8B", isBase64Encoded: true });
    const bad = await toLambdaResult({ status: 200, headers: { "content-type": "text/plain" }, body: new Uint8Array([0xc3, 0x28]) }, "GET");
    expect(bad).toMatchObject({ body: Buffer.from([0xc3, 0x28]).toString("base64"), isBase64Encoded: true });
  });

  it("HEAD and empty bodies return an empty body; the iterator is still read to the end (the audit waits on it)", async () => {
    let finished = false;
    async function* body() {
      yield new Uint8Array([1, 2, 3]);
      finished = true;
    }
    const result = await toLambdaResult({ status: 200, headers: {}, body: body() }, "HEAD");
    expect(result).toMatchObject({ statusCode: 200, body: "", isBase64Encoded: false });
    expect(finished).toBe(true);
  });

  it("answers 502 problems for a body too large for Lambda (drained first) and for a body that breaks", async () => {
    const big = await toLambdaResult({ status: 200, headers: { "x-request-id": "req_1" }, body: chunks("x".repeat(MAX_BUFFERED_BODY_BYTES), "y") }, "GET");
    expect(big.statusCode).toBe(502);
    expect(JSON.parse(big.body)).toMatchObject({ code: "RESPONSE_TOO_LARGE", requestId: "req_1" });
    async function* broken() {
      yield new Uint8Array([1]);
      throw new Error("socket reset");
    }
    const cut = await toLambdaResult({ status: 200, headers: {}, body: broken() }, "GET");
    expect(JSON.parse(cut.body).code).toBe("UPSTREAM_INTERRUPTED");
  });
});

describe("cold-start inputs", () => {
  it("the bundled definition round-trips to the same revision, and a tampered one is refused", () => {
    const gateway = defineGateway({
      name: "roundtrip",
      endpoints: { a: { upstream: "https://a.example.com", methods: ["GET"], rateLimit: { perMinute: 5 } } },
    });
    const json = serializeDefinition(gateway);
    expect(parseBundledDefinition(json)).toEqual(gateway);
    expect(() => parseBundledDefinition(json.replace('"perMinute": 5', '"perMinute": 500'))).toThrow(/revision .* does not match its content/);
    expect(() => parseBundledDefinition(json.replace('"methods": [\n    "GET"', '"methods": [\n    "FETCH"'))).toThrow(/bundled definition is invalid/);
  });

  it("reads its settings from the environment and names a missing variable", () => {
    const env = { AWS_REGION: "eu-west-1", GATEHOUSE_TABLES: '{"tokens":"t","rateLimits":"r","audit":"a","connections":"c"}', GATEHOUSE_KEY_ARN: "arn:k" };
    expect(readAwsSettings(env)).toEqual({
      region: "eu-west-1",
      tables: { tokens: "t", rateLimits: "r", audit: "a", connections: "c" },
      keyArn: "arn:k",
      secretCiphertexts: {},
      auditRetentionDays: 90,
      frontDoor: "api",
    });
    expect(() => readAwsSettings({ ...env, GATEHOUSE_KEY_ARN: undefined })).toThrow("environment variable GATEHOUSE_KEY_ARN is not set");
  });
});
