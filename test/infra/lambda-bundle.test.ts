import { describe, expect, it } from "vitest";
import { buildLambdaBundle } from "../../infra/build-lambda-bundle.ts";

describe("the Lambda bundle", () => {
  const first = buildLambdaBundle({ cache: false });
  const second = buildLambdaBundle({ cache: false });

  it("is byte-for-byte deterministic: two builds, same SHA-256", () => {
    expect(second.sha256).toBe(first.sha256);
    expect(second.code === first.code).toBe(true);
  });

  it("is one minified ESM file with the AWS SDK inside, no source map and no absolute paths", () => {
    expect(first.code).not.toContain("sourceMappingURL");
    expect(first.code).not.toContain(process.cwd());
    expect(first.code).toMatch(/^import\{createRequire as __gatehouseRequire\}from"node:module";/);
    expect(first.inputs.some((i) => i.path.includes("node_modules/@aws-sdk/client-dynamodb/"))).toBe(true);
    expect(first.inputs.some((i) => i.path.includes("node_modules/@aws-sdk/client-kms/"))).toBe(true);
    expect(first.code).not.toMatch(/from"@aws-sdk\//);
  });

  it("exports both handlers and stays under a 2 MB budget (unzipped)", () => {
    expect(first.code).toMatch(/export\{[^}]*\bhandler\b[^}]*\}/);
    expect(first.code).toMatch(/export\{[^}]*\bstreamHandler\b[^}]*\}/);
    expect(first.bytes).toBeLessThan(2_000_000);
  });

  it("never bundles infra, Pulumi or esbuild", () => {
    expect(first.inputs.some((i) => /@pulumi|esbuild|^infra\//.test(i.path))).toBe(false);
  });
});
