import { randomUUID } from "node:crypto";
import type { Gateway } from "../../schema/gateway.ts";
import type { AuditRecord } from "../ports/audit-sink.ts";

/** The OAuth events written to the audit. */
export type OAuthEvent = "oauth.connect" | "oauth.refresh" | "oauth.refresh_failed" | "oauth.disconnect";

/**
 * An audit record for an OAuth event, in the same shape as proxied requests. `path` names the
 * gateway route (never a query: the callback's holds the code), `reason` the provider's error
 * code and words, `upstreamStatus` the provider's HTTP status. No token, code or secret.
 */
export function oauthAuditRecord(input: {
  event: OAuthEvent;
  gateway: Gateway;
  connection: string;
  action: string;
  time: number;
  durationMs: number;
  decision: string;
  reason: string | null;
  status: number;
  providerStatus: number | null;
  requestId?: string;
  clientAddress?: string;
  userAgent?: string | null;
}): AuditRecord {
  return {
    requestId: input.requestId ?? `oauth_${randomUUID().replace(/-/g, "")}`,
    time: input.time,
    event: input.event,
    gatewayId: input.gateway.id,
    gatewayName: input.gateway.name,
    endpoint: null,
    tokenId: null,
    tokenLabel: null,
    method: input.action === "callback" ? "GET" : "POST",
    path: `/api/${input.gateway.id}/oauth/${input.connection}/${input.action}`,
    status: input.status,
    upstreamStatus: input.providerStatus,
    decision: input.decision,
    reason: input.reason,
    durationMs: input.durationMs,
    upstreamDurationMs: null,
    bytesIn: 0,
    bytesOut: 0,
    clientAddress: input.clientAddress ?? "",
    userAgent: input.userAgent ?? null,
    revision: input.gateway.revision,
  };
}
