import { describe, expect, it } from "vitest";
import { checkPlaintextSize } from "../../infra/create-secret-ciphertexts.ts";
import { functionEnvironmentSizes } from "../../infra/function-environments.ts";
import type { PlannedResource } from "../../infra/run-under-mocks.ts";

const fn = (name: string, variables: Record<string, string>): PlannedResource => ({
  urn: "",
  type: "aws:lambda/function:Function",
  name,
  custom: true,
  inputs: {},
  rawInputs: { environment: { variables } },
  computed: {},
  parent: "",
  archives: {},
});

describe("Lambda's 4 KB environment", () => {
  it("counts the JSON of the variables, as Lambda measures it, and flags a function over 4096 bytes", () => {
    const small = { A: "x" };
    // 16 ciphertexts of 32-byte secrets (184 bytes each, 248 characters of base64) in one variable: the old layout.
    const old = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`S${i}`, "Q".repeat(248)]));
    const sizes = functionEnvironmentSizes([fn("g-api", small), fn("g-stream", { GATEHOUSE_SECRETS: JSON.stringify(old) })]);
    expect(sizes[0]).toEqual({ function: "g-api", bytes: Buffer.byteLength(JSON.stringify(small)), limit: 4096, ok: true });
    expect(sizes[1]!.bytes).toBeGreaterThan(4096);
    expect(sizes[1]!.ok).toBe(false);
  });
});

describe("KMS Encrypt's 4,096-byte plaintext limit", () => {
  it("passes a value of exactly 4096 bytes and refuses 4097, naming the secret and the limit", () => {
    expect(checkPlaintextSize("PEM_KEY", "k".repeat(4096))).toHaveLength(4096);
    expect(() => checkPlaintextSize("PEM_KEY", "k".repeat(4097))).toThrow(/secret PEM_KEY is 4097 bytes; KMS Encrypt takes at most 4096 bytes/);
    expect(() => checkPlaintextSize("UTF8", "é".repeat(2049))).toThrow(/is 4098 bytes/);
  });
});
