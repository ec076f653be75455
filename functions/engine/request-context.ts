import type { AuditRecord } from "../ports/audit-sink.ts";
import type { GatewayRequest } from "../ports/http-types.ts";
import type { CorsPolicy } from "./cors-policy.ts";
import type { ByteCount } from "./limit-body.ts";
import { redactQuery } from "./redact-query.ts";
import { newRequestId } from "./request-id.ts";

/**
 * Everything one request carries through the pipeline, in one object: what came in, its id and
 * start time, the audit record the steps fill in, the bytes read so far, and the RateLimit
 * fields every later answer repeats. One object per request instead of eight parameters.
 */
export interface RequestContext {
  readonly request: GatewayRequest;
  readonly requestId: string;
  readonly started: number;
  readonly audit: AuditRecord;
  readonly bytesIn: ByteCount;
  /** The RateLimit fields once the limiter has counted the request; sent on every answer after that. */
  limitHeaders: Record<string, string>;
  /** The endpoint's CORS policy once routed, for an actual (non-preflight) request; null without one. */
  cors: CorsPolicy | null;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The context of a request received at `now`, its audit record filled with what is known before routing. */
export function newRequestContext(request: GatewayRequest, now: number): RequestContext {
  const requestId = newRequestId();
  const userAgent = request.headers["user-agent"];
  return {
    request,
    requestId,
    started: now,
    bytesIn: { bytes: 0 },
    limitHeaders: NO_HEADERS,
    cors: null,
    audit: {
      requestId,
      time: now,
      event: "proxy.request",
      gatewayId: null,
      gatewayName: null,
      endpoint: null,
      tokenId: null,
      tokenLabel: null,
      method: request.method,
      path: redactQuery(request.path, request.query, []),
      status: 0,
      upstreamStatus: null,
      decision: "OK",
      reason: null,
      durationMs: 0,
      upstreamDurationMs: null,
      bytesIn: 0,
      bytesOut: 0,
      clientAddress: request.clientAddress,
      userAgent: (Array.isArray(userAgent) ? userAgent[0] : userAgent)?.slice(0, 256) ?? null,
      revision: null,
    },
  };
}
