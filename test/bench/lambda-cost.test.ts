import { describe, expect, it } from "vitest";
import { measureLambdaCost } from "../../bench/lambda-cost.ts";
import { costOf } from "../../bench/lambda-cost-table.ts";

describe("the Lambda cost bench", () => {
  it("prices a scenario from its units and billed duration (arithmetic checked by hand)", () => {
    const cost = costOf(
      {
        name: "x",
        status: 200,
        requests: 1,
        upstreamMs: 50,
        writeUnits: 2,
        readUnits: 1,
        kmsCalls: 1,
        durationMs: 99.2,
        billedMs: 100,
        logBytes: 0,
        calls: [],
      },
      1024,
    );
    // 1 GB × 0.1 s × $0.0000133334 × 1e6 = $1.33334, plus $0.20 of requests.
    expect(cost.lambda).toBeCloseTo(1.53334, 5);
    expect(cost.dynamodb).toBeCloseTo(2 * 0.625 + 0.125, 9);
    expect(cost.kms).toBeCloseTo(3, 9);
    // 330 bytes of platform log lines per request: 330 / 2^30 GB × $0.50 × 1e6.
    expect(cost.logs).toBeCloseTo((330 / 1024 ** 3) * 0.5 * 1e6, 9);
    expect(cost.withApiGateway - cost.gatehouse).toBeCloseTo(1, 9);
  });

  it("counts what the built bundle consumes per warm request: admitted 2 write units, 401 1, 429 2 and 1 read, no KMS", async () => {
    const report = await measureLambdaCost({ requests: 3 });
    const byName = Object.fromEntries(report.scenarios.map((s) => [s.name, s]));
    const pick = (name: string) => {
      const s = byName[name]!;
      return { status: s.status, requests: s.requests, writeUnits: s.writeUnits, readUnits: s.readUnits, kmsCalls: s.kmsCalls, calls: s.calls };
    };
    const admitted = { status: 200, requests: 3, writeUnits: 2, readUnits: 0, kmsCalls: 0, calls: ["UpdateItem rate-limits 1", "PutItem audit 1"] };
    expect(pick("admitted, upstream 50 ms")).toEqual(admitted);
    expect(pick("admitted, upstream 200 ms")).toEqual(admitted);
    expect(pick("401, malformed token")).toEqual({ status: 401, requests: 3, writeUnits: 1, readUnits: 0, kmsCalls: 0, calls: ["PutItem audit 1"] });
    expect(pick("401, well-formed unknown token")).toEqual({
      status: 401,
      requests: 3,
      writeUnits: 1,
      readUnits: 1,
      kmsCalls: 0,
      calls: ["GetItem tokens 1", "PutItem audit 1"],
    });
    expect(pick("429, over the token's limit")).toEqual({
      status: 429,
      requests: 3,
      writeUnits: 2,
      readUnits: 1,
      kmsCalls: 0,
      calls: ["UpdateItem rate-limits condition failed", "GetItem rate-limits 1", "PutItem audit 1"],
    });
    // The upstream's latency is billed: the 200 ms rows take at least 200 ms (no upper bound asserted).
    expect(byName["admitted, upstream 200 ms"]!.billedMs).toBeGreaterThanOrEqual(200);
    expect(report.coldStartKmsCalls).toBe(0);
  }, 120_000);
});
