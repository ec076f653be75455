import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { EnginePorts } from "../ports/index.ts";
import type { AuditRecord } from "../ports/audit-sink.ts";
import type { ClientSignal, GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import type { UpstreamRequest, UpstreamResponse } from "../ports/upstream-client.ts";
import { auditedBody } from "./audited-body.ts";
import { buildUpstreamPath } from "./build-upstream-path.ts";
import { endpointPlan } from "./endpoint-plan.ts";
import { enforceRateLimit, rateLimitBuckets } from "./enforce-rate-limit.ts";
import { forward } from "./forward.ts";
import { forwardedRequestHeaders, returnedResponseHeaders } from "./header-policy.ts";
import { BodyTooLargeError, limitBody, type ByteCount } from "./limit-body.ts";
import { matchRoute } from "./match-route.ts";
import { refuse, type Refusal } from "./outcome.ts";
import { problemResponse } from "./problem-response.ts";
import { readToken } from "./read-token.ts";
import { redactQuery } from "./redact-query.ts";
import { resolveCredentials } from "./resolve-credentials.ts";
import { scrubResponse } from "./scrub-response.ts";
import { hashToken } from "../tokens/token-format.ts";
import { TokenCache } from "./token-cache.ts";
import { writeAudit } from "./write-audit.ts";
import { BEARER_CHALLENGE, verifyToken } from "./verify-token.ts";

/** How an engine is built. */
export interface EngineOptions {
  gateways: Gateway[];
  ports: EnginePorts;
  /** How long a verified token is trusted before the store is asked again; 0 disables. @default 10 */
  tokenCacheSeconds?: number;
  /** @default 10000 */
  tokenCacheSize?: number;
  /** Private CIDRs every endpoint may reach (the local `--unsafe-allow-private` flag). @default [] */
  unsafeAllowPrivate?: string[];
}

/** The request pipeline: one call per request, never throws. */
export interface Engine {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
}

/**
 * Builds the pipeline of DESIGN.md: route, token, method, (path and size), rate limit,
 * credentials, upstream request, forward, respond, audit. Every step returns a value or a
 * refusal; refusals become responses only in `problemResponse`. The cheap local checks on path
 * and declared size run before the rate limit so a request that will be refused counts nothing.
 */
export function createEngine(options: EngineOptions): Engine {
  const { ports } = options;
  const gateways = new Map(options.gateways.map((g) => [g.id, g]));
  const cache = new TokenCache((options.tokenCacheSeconds ?? 10) * 1000, options.tokenCacheSize ?? 10_000);
  const hash = ports.hashToken ?? hashToken;
  const extraAllow = options.unsafeAllowPrivate ?? [];
  // One array per endpoint, not per request: the upstream client keys its guarded agents on it.
  const allowPrivateOf = new WeakMap<Endpoint, readonly string[]>();
  const allowPrivate = (endpoint: Endpoint): readonly string[] => {
    let allow = allowPrivateOf.get(endpoint);
    if (!allow) {
      allow = extraAllow.length ? [...endpoint.unsafeAllowPrivateNetworks, ...extraAllow] : endpoint.unsafeAllowPrivateNetworks;
      allowPrivateOf.set(endpoint, allow);
    }
    return allow;
  };

  /** Turns a refusal into its response and writes the audit record (defined once, not per request). */
  async function refused(audit: AuditRecord, bytesIn: ByteCount, refusal: Refusal, headers: Record<string, string> = {}): Promise<GatewayResponse> {
    const response = problemResponse(refusal, audit.requestId, headers);
    audit.status = response.status;
    audit.decision = refusal.code;
    audit.reason = refusal.reason;
    if (refusal.ssrf) audit.ssrf = refusal.ssrf;
    if (refusal.code === "CLIENT_ABORTED") audit.clientAborted = true;
    audit.durationMs = ports.clock.now() - audit.time;
    audit.bytesIn = bytesIn.bytes;
    audit.bytesOut = response.body instanceof Uint8Array ? response.body.byteLength : 0;
    await writeAudit(ports.audit, ports.log, audit);
    return response;
  }

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const started = ports.clock.now();
    const requestId = `req_${crypto.randomUUID().replace(/-/g, "")}`;
    const bytesIn: ByteCount = { bytes: 0 };
    const audit: AuditRecord = {
      requestId,
      time: started,
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
      userAgent: single(request.headers["user-agent"])?.slice(0, 256) ?? null,
      revision: null,
    };

    try {
      const route = matchRoute(gateways, request.path);
      if ("code" in route) return await refused(audit, bytesIn, route);
      audit.gatewayId = route.gateway.id;
      audit.gatewayName = route.gateway.name;
      audit.revision = route.gateway.revision;
      if (route.kind === "oauth") {
        if (!ports.oauthRoutes) return await refused(audit, bytesIn, refuse("ROUTE_NOT_FOUND", "OAuth routes are not configured"));
        return await ports.oauthRoutes.handle(request, route.gateway, route.connection, route.action, requestId);
      }
      const { gateway, endpoint, tail } = route;
      audit.endpoint = endpoint.slug;
      audit.path = redactQuery(request.path, request.query, endpoint.auditQueryValues);

      const read = readToken(request.headers);
      if (!read.ok) return await refused(audit, bytesIn, refuse("TOKEN_INVALID", `${read.reason} token`, { headers: BEARER_CHALLENGE }));
      let verified;
      try {
        verified = await verifyToken(read.token, gateway, endpoint, { store: ports.tokens, cache, hash, now: started });
      } catch (error) {
        return await refused(audit, bytesIn, refuse("STORE_UNAVAILABLE", `token store failed: ${message(error)}`));
      }
      const tokenRecord = verified.record;
      if (tokenRecord && tokenRecord.gatewayId === gateway.id) {
        audit.tokenId = tokenRecord.id;
        audit.tokenLabel = tokenRecord.label;
      }
      if (!verified.ok) return await refused(audit, bytesIn, verified.refusal);

      if (!endpointPlan(endpoint).methods.has(request.method)) {
        return await refused(audit, bytesIn, refuse("METHOD_NOT_ALLOWED", `${request.method} is not allowed`, { headers: { allow: endpoint.methods.join(", ") } }));
      }
      const declared = declaredLength(request);
      if (declared !== null && declared > endpoint.maxRequestBytes) {
        return await refused(audit, bytesIn, refuse("BODY_TOO_LARGE", `declared ${declared} bytes, limit ${endpoint.maxRequestBytes}`));
      }
      const target = buildUpstreamPath(endpoint, tail, request.query);
      if ("code" in target) return await refused(audit, bytesIn, target);

      let limited;
      try {
        limited = await enforceRateLimit(ports.rateLimiter, rateLimitBuckets(gateway, endpoint, tokenRecord!.id), started);
      } catch (error) {
        return await refused(audit, bytesIn, refuse("STORE_UNAVAILABLE", `rate limiter failed: ${message(error)}`));
      }
      if (!limited.ok) return await refused(audit, bytesIn, limited.refusal);
      const limitHeaders = limited.headers;

      let credentials = await resolveCredentials(gateway, endpoint, ports);
      if (!credentials.ok) return await refused(audit, bytesIn, credentials.refusal, limitHeaders);

      let body;
      try {
        body = limitBody(request.body, endpoint.maxRequestBytes, bytesIn);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return await refused(audit, bytesIn, refuse("BODY_TOO_LARGE", error.message), limitHeaders);
        throw error;
      }
      const baseHeaders = forwardedRequestHeaders(endpoint, request.headers);
      if (declared !== null) baseHeaders["content-length"] = String(declared);
      baseHeaders["x-request-id"] = requestId;
      const upstreamRequest: UpstreamRequest = {
        origin: target.origin,
        path: target.path,
        method: request.method,
        headers: { ...baseHeaders, ...credentials.headers },
        body,
        timeoutMs: endpoint.timeoutSeconds * 1000,
        allowPrivate: allowPrivate(endpoint),
      };
      if (request.signal) upstreamRequest.signal = request.signal;

      const upstreamStarted = ports.clock.now();
      let sent = await forward(ports.upstream, upstreamRequest);
      // One replay with a refreshed token when the upstream rejects the bearer and the body can be sent again.
      if (sent.ok && sent.response.status === 401 && credentials.bearer && replayable(request.body)) {
        await discard(sent.response);
        credentials = await resolveCredentials(gateway, endpoint, ports, credentials.bearer);
        if (!credentials.ok) return await refused(audit, bytesIn, credentials.refusal, limitHeaders);
        sent = await forward(ports.upstream, { ...upstreamRequest, headers: { ...baseHeaders, ...credentials.headers } });
      }
      audit.upstreamDurationMs = ports.clock.now() - upstreamStarted;
      if (!sent.ok) return await refused(audit, bytesIn, sent.refusal, limitHeaders);
      return respond(sent.response, endpoint, requestId, limitHeaders, audit, started, bytesIn, request.signal, credentials.secrets);
    } catch (error) {
      ports.log.error("engine.unexpected", { requestId, error: message(error) });
      return await refused(audit, bytesIn, refuse("INTERNAL_ERROR", `unexpected: ${message(error)}`));
    }
  }

  function respond(
    upstream: UpstreamResponse,
    endpoint: Endpoint,
    requestId: string,
    limitHeaders: Record<string, string>,
    audit: AuditRecord,
    started: number,
    bytesIn: ByteCount,
    clientSignal: ClientSignal | undefined,
    secrets: readonly string[],
  ): GatewayResponse {
    audit.status = upstream.status;
    audit.upstreamStatus = upstream.status;
    const headers = returnedResponseHeaders(endpoint, upstream.headers);
    const source = scrubResponse(secrets, headers, upstream.body, audit);
    for (const name in limitHeaders) headers[name] = limitHeaders[name]!;
    headers["x-request-id"] = requestId;
    const body = auditedBody(source, async ({ bytes, completed, error }) => {
      audit.bytesOut = bytes;
      audit.bytesIn = bytesIn.bytes;
      audit.durationMs = ports.clock.now() - started;
      if (!completed) {
        // When the client left, the upstream body usually fails as a consequence: the client's
        // departure is the cause worth recording.
        const clientGone = error === undefined || clientSignal?.aborted === true;
        audit.decision = clientGone ? "CLIENT_ABORTED" : "UPSTREAM_INTERRUPTED";
        audit.reason = clientGone ? "client went away during the response" : `upstream body failed: ${message(error)}`;
        if (clientGone) audit.clientAborted = true;
      }
      await writeAudit(ports.audit, ports.log, audit);
    });
    return { status: upstream.status, headers, body };
  }

  return { handle };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The client's Content-Length, when it sent exactly one valid one (the front door rejects conflicts). */
function declaredLength(request: GatewayRequest): number | null {
  const value = request.headers["content-length"];
  if (typeof value !== "string" || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function replayable(body: GatewayRequest["body"]): boolean {
  return body === null || body instanceof Uint8Array;
}

async function discard(response: UpstreamResponse): Promise<void> {
  try {
    for await (const _ of response.body) {
      // drained so the pooled connection can be reused
    }
  } catch {
    // a failed drain only costs the connection
  }
}
