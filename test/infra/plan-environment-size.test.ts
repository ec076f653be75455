import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { recordingIo } from "../helpers/recording-io.ts";

// One plan per file: Pulumi's runtime state is global to the process.
let io: ReturnType<typeof recordingIo>;
let code: number;

beforeAll(async () => {
  io = recordingIo();
  code = await main(["plan", "test/infra/fixtures/thirty-secrets.gateway.ts", "--json"], io);
}, 90_000);

describe("gatehouse plan --json for a gateway with 30 secrets", () => {
  it("plans 30 KMS ciphertexts and exits 0", () => {
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(io.stdout()) as { resources: Array<{ type: string }> };
    expect(plan.resources.filter((r) => r.type === "aws:kms/ciphertext:Ciphertext")).toHaveLength(30);
  });

  it("shows each function's environment under Lambda's 4 KB, ciphertexts not in it", () => {
    const plan = JSON.parse(io.stdout()) as {
      functionEnvironments: Array<{ function: string; bytes: number; limit: number; ok: boolean }>;
      resources: Array<{ type: string; name: string; inputs: { environment?: { variables: Record<string, string> } } }>;
    };
    expect(plan.functionEnvironments.map((e) => e.function).sort()).toEqual(["many-secrets-api", "many-secrets-stream"]);
    for (const e of plan.functionEnvironments) {
      expect(e.limit).toBe(4096);
      expect(e.ok).toBe(true);
      expect(e.bytes).toBeGreaterThan(100);
      expect(e.bytes).toBeLessThan(4096);
      const fn = plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === e.function)!;
      expect(Buffer.byteLength(JSON.stringify(fn.inputs.environment!.variables))).toBe(e.bytes);
      expect(JSON.stringify(fn.inputs.environment!.variables)).not.toContain("VENDOR_");
    }
  });
});
