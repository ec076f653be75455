import { describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../functions/adapters/memory/memory-audit-sink.ts";
import { createPrometheusMetrics } from "../../functions/adapters/metrics/prometheus-metrics.ts";
import { auditRecord } from "../contract/audit-sink-contract.ts";

describe("the Prometheus metrics audit decorator", () => {
  it("writes every record through to the wrapped sink, counted", async () => {
    const metrics = createPrometheusMetrics();
    const inner = new MemoryAuditSink();
    const sink = metrics.wrap(inner);
    const record = auditRecord({ gatewayName: "acme", endpoint: "github", status: 200, decision: "OK", durationMs: 40, upstreamDurationMs: 30 });
    await sink.write(record);
    expect(inner.records).toEqual([record]);
    const text = await metrics.metrics();
    expect(text).toContain('gatehouse_requests_total{gateway="acme",endpoint="github",status="200",decision="OK"} 1\n');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="0.05",gateway="acme",endpoint="github"} 1\n');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="0.025",gateway="acme",endpoint="github"} 0\n');
    expect(text).toContain('gatehouse_upstream_duration_seconds_sum{gateway="acme",endpoint="github"} 0.03\n');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("counts refusals by decision, rate limits, scrubbed secrets and OAuth refresh results", () => {
    const metrics = createPrometheusMetrics();
    metrics.observe(
      auditRecord({ gatewayName: "acme", endpoint: "github", status: 429, decision: "RATE_LIMITED", upstreamStatus: null, upstreamDurationMs: null }),
    );
    metrics.observe(
      auditRecord({ gatewayName: "acme", endpoint: "github", status: 429, decision: "RATE_LIMITED", upstreamStatus: null, upstreamDurationMs: null }),
    );
    metrics.observe(auditRecord({ gatewayName: null, gatewayId: null, endpoint: null, status: 404, decision: "ROUTE_NOT_FOUND", upstreamDurationMs: null }));
    metrics.observe(auditRecord({ gatewayName: "acme", endpoint: "stripe", secretsScrubbed: true }));
    metrics.observe(auditRecord({ event: "oauth.refresh", decision: "OK" }));
    metrics.observe(auditRecord({ event: "oauth.refresh_failed", decision: "GRANT_DEAD" }));
    metrics.observe(auditRecord({ event: "oauth.connect", decision: "OK" }));
    return metrics.metrics().then((text) => {
      expect(text).toContain('gatehouse_requests_total{gateway="acme",endpoint="github",status="429",decision="RATE_LIMITED"} 2\n');
      expect(text).toContain('gatehouse_requests_total{gateway="",endpoint="",status="404",decision="ROUTE_NOT_FOUND"} 1\n');
      expect(text).toContain('gatehouse_rate_limited_total{gateway="acme",endpoint="github"} 2\n');
      expect(text).toContain('gatehouse_secret_scrubbed_total{gateway="acme",endpoint="stripe"} 1\n');
      expect(text).toContain('gatehouse_oauth_refresh_total{result="OK"} 1\n');
      expect(text).toContain('gatehouse_oauth_refresh_total{result="GRANT_DEAD"} 1\n');
      // OAuth events are not requests, and a refused request never reached an upstream.
      expect(text).not.toContain('gatehouse_requests_total{gateway="acme",endpoint="github",status="200"');
      expect(text).toContain('gatehouse_upstream_duration_seconds_count{gateway="acme",endpoint="stripe"} 1\n');
      expect(text).not.toContain('gatehouse_upstream_duration_seconds_count{gateway="acme",endpoint="github"}');
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    });
  });

  it("keeps two instances apart (each has its own registry)", async () => {
    const a = createPrometheusMetrics();
    const b = createPrometheusMetrics();
    a.observe(auditRecord({ gatewayName: "acme", endpoint: "github" }));
    expect(await a.metrics()).toContain('gatehouse_requests_total{gateway="acme",endpoint="github",status="200",decision="OK"} 1\n');
    expect(await b.metrics()).not.toContain('gatehouse_requests_total{gateway="acme"');
  });
});
