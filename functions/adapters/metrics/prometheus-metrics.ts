import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { AuditRecord, AuditSink } from "../../ports/audit-sink.ts";

/** The labels of the per-endpoint series. */
const ENDPOINT_LABELS = ["gateway", "endpoint"] as const;

/** Seconds buckets for whole requests and upstream calls: 5 ms to the longest endpoint timeout (300 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Prometheus metrics fed from audit records, and the text a scrape gets. */
export interface PrometheusMetrics {
  /** The audit sink the engine writes to: counts each record, then writes it to `inner`. */
  wrap(inner: AuditSink): AuditSink;
  /** Counts one record (what {@link wrap} does before writing). */
  observe(record: AuditRecord): void;
  /** The Prometheus text exposition format of every metric, process metrics included. */
  metrics(): Promise<string>;
  /** The content type of {@link metrics}' text. */
  contentType: string;
}

/**
 * The metrics of one local gateway process, from the audit records the engine already writes
 * (one per request, and the OAuth refresh events), so the engine knows nothing of them:
 * `gatehouse_requests_total{gateway,endpoint,status,decision}`, the request and upstream
 * duration histograms, `gatehouse_rate_limited_total`, `gatehouse_oauth_refresh_total{result}`,
 * `gatehouse_secret_scrubbed_total`, and prom-client's process metrics. Its own registry, so two
 * in one process (tests) never share counters.
 */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "gatehouse_requests_total",
    help: "Requests answered, by gateway, endpoint, status and decision (OK or the refusal code).",
    labelNames: ["gateway", "endpoint", "status", "decision"],
    registers: [registry],
  });
  // The per-endpoint series: durations in the same buckets, counts of one kind of request.
  const seconds = (name: string, help: string) => new Histogram({ name, help, labelNames: ENDPOINT_LABELS, buckets: DURATION_BUCKETS, registers: [registry] });
  const perEndpoint = (name: string, help: string) => new Counter({ name, help, labelNames: ENDPOINT_LABELS, registers: [registry] });
  const duration = seconds("gatehouse_request_duration_seconds", "Time from a request's arrival to the end of its response.");
  const upstream = seconds("gatehouse_upstream_duration_seconds", "Time the upstream took to answer (requests that reached it).");
  const rateLimited = perEndpoint("gatehouse_rate_limited_total", "Requests refused by a rate limit (429).");
  const refreshes = new Counter({
    name: "gatehouse_oauth_refresh_total",
    help: "OAuth token refreshes, by result (OK or the failure code).",
    labelNames: ["result"],
    registers: [registry],
  });
  const scrubbed = perEndpoint("gatehouse_secret_scrubbed_total", "Responses in which an injected secret's value was masked before reaching the client.");

  const observe = (record: AuditRecord): void => {
    if (record.event === "oauth.refresh" || record.event === "oauth.refresh_failed") {
      refreshes.inc({ result: record.decision });
      return;
    }
    if (record.event !== "proxy.request") return;
    const where = { gateway: record.gatewayName ?? record.gatewayId ?? "", endpoint: record.endpoint ?? "" };
    requests.inc({ ...where, status: String(record.status), decision: record.decision });
    duration.observe(where, record.durationMs / 1000);
    if (record.upstreamDurationMs !== null) upstream.observe(where, record.upstreamDurationMs / 1000);
    if (record.decision === "RATE_LIMITED") rateLimited.inc(where);
    if (record.secretsScrubbed) scrubbed.inc(where);
  };
  return {
    observe,
    wrap: (inner) => ({
      write(record) {
        // Counted whether or not the write succeeds: the request was answered either way.
        observe(record);
        return inner.write(record);
      },
    }),
    metrics: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
