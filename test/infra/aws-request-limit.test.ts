import { describe, expect, it } from "vitest";
import { defineGateway } from "../../schema/index.ts";
import { prepareGateway } from "../../infra/prepare-gateway.ts";

const gateway = (maxRequestBytes: number) =>
  defineGateway({
    name: "uploads",
    endpoints: {
      files: { upstream: "https://files.example.com", methods: ["POST"], maxRequestBytes },
      small: { upstream: "https://files.example.com", methods: ["GET"] },
    },
  });

describe("maxRequestBytes on AWS", () => {
  it("accepts up to 4,400,000 bytes, what a 6 MB Lambda invocation carries of a base64 body", () => {
    expect(prepareGateway({ definition: gateway(4_400_000) }).definition.endpoints.files!.maxRequestBytes).toBe(4_400_000);
  });

  it("refuses more before anything is planned, naming the endpoint, the value and the limit", () => {
    expect(() => prepareGateway({ definition: gateway(10 * 1024 * 1024) })).toThrow(
      /gateway 'uploads': endpoint 'files' has maxRequestBytes 10485760, above the 4400000 bytes a Lambda invocation can carry .*no 413, no audit record/,
    );
  });
});
