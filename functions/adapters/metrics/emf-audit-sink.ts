import type { AuditRecord, AuditSink } from "../../ports/audit-sink.ts";
import { EMF_NAMESPACE, METRIC } from "../../contracts/cloudwatch-metrics.ts";

/** Decisions that mean the upstream failed (not the client, not the gateway's policy). */
const UPSTREAM_ERRORS = new Set(["UPSTREAM_UNREACHABLE", "UPSTREAM_INTERRUPTED"]);

/**
 * The Lambda's metrics as CloudWatch Embedded Metric Format log lines: one JSON line per audit
 * record on stdout, which CloudWatch Logs turns into metrics (no `PutMetricData` call, so no
 * extra IAM and no latency on the request). Per request, in namespace `Gatehouse` with the
 * dimensions `Gateway` and `Gateway, Endpoint`: `Requests`, `Errors5xx`, `UpstreamErrors`,
 * `UpstreamTimeouts`, `RateLimited`, `ConnectionNeedsReauthorization`, `SecretScrubbed` (counts), `Duration` and
 * `UpstreamDuration` (milliseconds); per OAuth refresh, `OAuthRefresh` by `Gateway, Result`.
 * Status, decision and request id ride along as properties, searchable in Logs Insights but
 * not dimensions (each dimension value is a metric of its own, billed). The names are
 * `contracts/cloudwatch-metrics.ts`'s, which the Gateway component's alarms read. Format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfAuditSink(inner: AuditSink, writeLine: (line: string) => void): AuditSink {
  return {
    write(record) {
      const line = emfLine(record);
      if (line !== null) writeLine(line);
      return inner.write(record);
    },
  };
}

/** The EMF line of one audit record, or null for events that are not metrics (connects, disconnects). */
export function emfLine(record: AuditRecord): string | null {
  const gateway = record.gatewayName ?? record.gatewayId ?? "unknown";
  if (record.event === "oauth.refresh" || record.event === "oauth.refresh_failed") {
    return JSON.stringify({
      _aws: metricsBlock(record.time, [["Gateway", "Result"]], [{ Name: METRIC.oauthRefresh, Unit: "Count" }]),
      Gateway: gateway,
      Result: record.decision,
      [METRIC.oauthRefresh]: 1,
    });
  }
  if (record.event !== "proxy.request") return null;
  const reachedUpstream = record.upstreamDurationMs !== null;
  return JSON.stringify({
    _aws: metricsBlock(record.time, [["Gateway"], ["Gateway", "Endpoint"]], reachedUpstream ? REQUEST_METRICS_UPSTREAM : REQUEST_METRICS),
    Gateway: gateway,
    Endpoint: record.endpoint ?? "none",
    [METRIC.requests]: 1,
    [METRIC.errors5xx]: record.status >= 500 ? 1 : 0,
    [METRIC.upstreamErrors]: UPSTREAM_ERRORS.has(record.decision) ? 1 : 0,
    [METRIC.upstreamTimeouts]: record.decision === "UPSTREAM_TIMEOUT" ? 1 : 0,
    [METRIC.rateLimited]: record.decision === "RATE_LIMITED" ? 1 : 0,
    [METRIC.needsReauthorization]: record.decision === "CONNECTION_NEEDS_REAUTHORIZATION" ? 1 : 0,
    [METRIC.secretScrubbed]: record.secretsScrubbed ? 1 : 0,
    [METRIC.duration]: record.durationMs,
    ...(reachedUpstream ? { [METRIC.upstreamDuration]: record.upstreamDurationMs } : {}),
    status: record.status,
    decision: record.decision,
    requestId: record.requestId,
  });
}

const COUNTS = [
  METRIC.requests,
  METRIC.errors5xx,
  METRIC.upstreamErrors,
  METRIC.upstreamTimeouts,
  METRIC.rateLimited,
  METRIC.needsReauthorization,
  METRIC.secretScrubbed,
].map((Name) => ({ Name, Unit: "Count" }));
const REQUEST_METRICS = [...COUNTS, { Name: METRIC.duration, Unit: "Milliseconds" }];
const REQUEST_METRICS_UPSTREAM = [...REQUEST_METRICS, { Name: METRIC.upstreamDuration, Unit: "Milliseconds" }];

function metricsBlock(time: number, dimensions: string[][], metrics: Array<{ Name: string; Unit: string }>) {
  return { Timestamp: time, CloudWatchMetrics: [{ Namespace: EMF_NAMESPACE, Dimensions: dimensions, Metrics: metrics }] };
}
