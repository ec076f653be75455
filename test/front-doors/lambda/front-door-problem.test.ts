import { describe, expect, it } from "vitest";
import { problemResponse } from "../../../functions/engine/problem-response.ts";
import { refuse } from "../../../functions/engine/outcome.ts";
import { frontDoorProblem } from "../../../functions/front-doors/lambda/front-door-problem.ts";

describe("one problem+json shape", () => {
  it("gives the Lambda door's own problems type, title, status, detail, code, requestId and no-store", () => {
    const result = frontDoorProblem(503, "GATEWAY_UNAVAILABLE", "Service unavailable", "The gateway failed to start; nothing was forwarded.");
    const body = JSON.parse(result.body) as Record<string, unknown>;
    expect(result.statusCode).toBe(503);
    expect(body).toEqual({
      type: "https://gatehouse.dev/problems/gateway-unavailable",
      title: "Service unavailable",
      status: 503,
      detail: "The gateway failed to start; nothing was forwarded.",
      code: "GATEWAY_UNAVAILABLE",
      requestId: expect.stringMatching(/^req_[0-9a-f]{32}$/),
    });
    expect(result.headers).toEqual({ "content-type": "application/problem+json", "cache-control": "no-store", "x-request-id": body.requestId });
  });

  it("keeps a given request id", () => {
    const result = frontDoorProblem(502, "UPSTREAM_INTERRUPTED", "Bad gateway", "The upstream response broke off.", "req_given");
    expect(JSON.parse(result.body)).toMatchObject({ requestId: "req_given" });
    expect(result.headers["x-request-id"]).toBe("req_given");
  });

  it("builds the engine's refusals the same way, refusal headers and extra members included", () => {
    const response = problemResponse(refuse("RATE_LIMITED", "over per-minute", { headers: { "retry-after": "7" }, extra: { retryAfterSeconds: 7 } }), "req_1", {
      ratelimit: '"per-minute";r=0;t=7',
    });
    expect(response.status).toBe(429);
    expect(response.headers).toEqual({
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "x-request-id": "req_1",
      ratelimit: '"per-minute";r=0;t=7',
      "retry-after": "7",
    });
    expect(JSON.parse(new TextDecoder().decode(response.body as Uint8Array))).toEqual({
      type: "https://gatehouse.dev/problems/rate-limited",
      title: "Too many requests",
      status: 429,
      detail: "A rate limit of this endpoint is reached.",
      code: "RATE_LIMITED",
      requestId: "req_1",
      retryAfterSeconds: 7,
    });
  });
});
