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

  it("exports both handlers and stays within issue 18's 700 KB budget (unzipped; size is deterministic)", () => {
    expect(first.code).toMatch(/export\{[^}]*\bhandler\b[^}]*\}/);
    expect(first.code).toMatch(/export\{[^}]*\bstreamHandler\b[^}]*\}/);
    expect(first.bytes).toBe(Buffer.byteLength(first.code));
    expect(first.bytes).toBeLessThanOrEqual(700_000);
  });

  it("takes only undici's dispatchers: no fetch, WebSocket, EventSource, cache, interceptors, mocks or non-SIMD llhttp", () => {
    const undici = first.inputs.filter((i) => i.path.includes("node_modules/undici/")).map((i) => i.path);
    expect(undici).toContain("node_modules/undici/lib/dispatcher/agent.js");
    expect(undici).toContain("node_modules/undici/lib/llhttp/llhttp_simd-wasm.js");
    expect(undici.filter((p) => /\/lib\/(web|mock|cache|interceptor)\/|llhttp-wasm\.js|undici\/index\.js/.test(p))).toEqual([]);
    // The two left-out files stay as plain requires, so reaching one fails loudly.
    expect(first.code).toMatch(/\("\.\.\/llhttp\/llhttp-wasm\.js"\)/);
    expect(first.code).toMatch(/\("\.\.\/web\/fetch\/body\.js"\)/);
  });

  it("takes zod's English messages only and no fromJSONSchema; zod stays under 100 KiB", () => {
    const zod = first.inputs.filter((i) => i.path.includes("node_modules/zod/"));
    expect(zod.filter((i) => i.path.includes("/locales/")).map((i) => i.path)).toEqual(["node_modules/zod/v4/locales/en.js"]);
    expect(zod.filter((i) => /from-json-schema/.test(i.path))).toEqual([]);
    // zod classic's schema constructors reference the toJSONSchema processors (about 18 KiB),
    // so those stay with it; the 190 KiB of locales a namespace import kept are gone.
    expect(zod.reduce((sum, i) => sum + i.bytes, 0)).toBeLessThan(100 * 1024);
  });

  it("gives the SDK clients environment credentials only: no INI, SSO, process, web-identity or metadata providers", () => {
    const paths = first.inputs.map((i) => i.path);
    expect(paths.some((p) => p.includes("node_modules/@aws-sdk/credential-provider-env/"))).toBe(true);
    expect(paths.some((p) => p.includes("functions/adapters/aws/environment-credentials."))).toBe(true);
    expect(paths.filter((p) => /credential-provider-(node|ini|sso|process|web-identity|http|login)\/|credential-provider-imds|nested-clients/.test(p))).toEqual(
      [],
    );
  });

  it("never bundles infra, Pulumi or esbuild", () => {
    expect(first.inputs.some((i) => /@pulumi|esbuild|^infra\//.test(i.path))).toBe(false);
  });
});
