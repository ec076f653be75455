import { describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { emfAuditSink, emfLine } from "../../functions/adapters/metrics/emf-audit-sink.ts";
import { EMF_NAMESPACE } from "../../functions/contracts/cloudwatch-metrics.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

type Emf = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
};

/**
 * What the EMF specification requires of a line: `_aws.Timestamp` in epoch ms, each directive
 * with a namespace, each dimension and each metric a top-level member (metric values numbers).
 */
function checkEmf(line: string): Emf {
  const emf = JSON.parse(line) as Emf;
  expect(typeof emf._aws.Timestamp).toBe("number");
  for (const directive of emf._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe(EMF_NAMESPACE);
    for (const set of directive.Dimensions) for (const name of set) expect(typeof emf[name]).toBe("string");
    for (const metric of directive.Metrics) expect(typeof emf[metric.Name]).toBe("number");
  }
  return emf;
}

describe("the CloudWatch EMF audit decorator", () => {
  it("writes one EMF line per request and the record to the wrapped sink", async () => {
    const lines: string[] = [];
    const inner = new MemoryAuditSink();
    const record = auditRecord({
      gatewayName: "acme",
      endpoint: "github",
      status: 200,
      decision: "OK",
      durationMs: 12,
      upstreamDurationMs: 10,
      secretsScrubbed: true,
    });
    await emfAuditSink(inner, (line) => lines.push(line)).write(record);
    expect(inner.records).toEqual([record]);
    expect(lines).toHaveLength(1);
    const emf = checkEmf(lines[0]!);
    expect(emf._aws.Timestamp).toBe(record.time);
    expect(emf._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([["Gateway"], ["Gateway", "Endpoint"]]);
    expect(emf).toMatchObject({
      Gateway: "acme",
      Endpoint: "github",
      Requests: 1,
      Errors5xx: 0,
      UpstreamErrors: 0,
      UpstreamTimeouts: 0,
      RateLimited: 0,
      SecretScrubbed: 1,
      Duration: 12,
      UpstreamDuration: 10,
      status: 200,
      decision: "OK",
      requestId: record.requestId,
    });
  });

  it("counts 5xx, upstream errors and timeouts, and rate limits; no upstream duration when none was called", () => {
    const timeout = checkEmf(emfLine(auditRecord({ status: 504, decision: "UPSTREAM_TIMEOUT", upstreamStatus: null, upstreamDurationMs: 29000 }))!);
    expect(timeout).toMatchObject({ Errors5xx: 1, UpstreamTimeouts: 1, UpstreamErrors: 0 });
    const unreachable = checkEmf(emfLine(auditRecord({ status: 502, decision: "UPSTREAM_UNREACHABLE", upstreamStatus: null, upstreamDurationMs: null }))!);
    expect(unreachable).toMatchObject({ Errors5xx: 1, UpstreamErrors: 1 });
    expect(unreachable).not.toHaveProperty("UpstreamDuration");
    expect(unreachable._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).not.toContain("UpstreamDuration");
    const limited = checkEmf(emfLine(auditRecord({ status: 429, decision: "RATE_LIMITED", upstreamDurationMs: null, endpoint: null }))!);
    expect(limited).toMatchObject({ RateLimited: 1, Errors5xx: 0, Endpoint: "none" });
  });

  it("counts a refusal because the connection needs re-authorization (what the needs-reauthorization alarm watches), and nothing else as one", () => {
    const refused = checkEmf(emfLine(auditRecord({ status: 503, decision: "CONNECTION_NEEDS_REAUTHORIZATION", upstreamDurationMs: null }))!);
    expect(refused).toMatchObject({ ConnectionNeedsReauthorization: 1, Errors5xx: 1, Requests: 1 });
    expect(refused._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: "ConnectionNeedsReauthorization", Unit: "Count" });
    for (const decision of ["OK", "CONNECTION_NOT_CONNECTED", "RATE_LIMITED"] as const)
      expect(checkEmf(emfLine(auditRecord({ decision }))!).ConnectionNeedsReauthorization).toBe(0);
  });

  it("counts OAuth refreshes by result and writes no line for other OAuth events", () => {
    const failed = checkEmf(emfLine(auditRecord({ event: "oauth.refresh_failed", decision: "GRANT_DEAD", gatewayName: "acme" }))!);
    expect(failed._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([["Gateway", "Result"]]);
    expect(failed).toMatchObject({ Gateway: "acme", Result: "GRANT_DEAD", OAuthRefresh: 1 });
    expect(emfLine(auditRecord({ event: "oauth.connect", decision: "OK" }))).toBeNull();
  });
});
