import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";
import type { EnginePorts } from "../ports/index.ts";
import type { GatewayRequest, GatewayResponse } from "../ports/http-types.ts";
import { hashToken } from "../tokens/token-format.ts";
import { HEALTH_PATH, answerHealth } from "./answer-health.ts";
import { answerPreflight } from "./answer-preflight.ts";
import { answerRefusal } from "./answer-refusal.ts";
import { answerUpstream } from "./answer-upstream.ts";
import { buildUpstreamPath } from "./build-upstream-path.ts";
import { checkMethodAndLength } from "./check-method-and-length.ts";
import { addCorsHeaders, corsPolicy, isPreflight, preflightHeaders } from "./cors-policy.ts";
import { enforceRateLimit, rateLimitPlan } from "./enforce-rate-limit.ts";
import { limitBody } from "./limit-body.ts";
import { gatewayOfPath, matchRoute } from "./match-route.ts";
import { refuse } from "./outcome.ts";
import { readToken } from "./read-token.ts";
import { redactQuery } from "./redact-query.ts";
import { newRequestContext, type RequestContext } from "./request-context.ts";
import { InjectedHeaders, resolveCredentials } from "./resolve-credentials.ts";
import { sendUpstream } from "./send-upstream.ts";
import { TokenCache } from "./token-cache.ts";
import { verifyToken } from "./verify-token.ts";

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
 * Builds the pipeline: route, token, method and declared size, path, rate limit, credentials,
 * body limit, forward, respond, audit. Every step returns a `StepResult` (its values, or the
 * refusal that ends the request) and shares one `RequestContext`; refusals become responses only
 * in `answerRefusal`. The cheap local checks on method, size and path run before the rate limit
 * so a request that will be refused counts nothing.
 */
export function createEngine(options: EngineOptions): Engine {
  const { ports } = options;
  const gateways = new Map(options.gateways.map((g) => [g.id, g]));
  const cache = new TokenCache((options.tokenCacheSeconds ?? 10) * 1000, options.tokenCacheSize ?? 10_000);
  const hash = ports.hashToken ?? hashToken;
  const injected = new InjectedHeaders();
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

  async function proxy(context: RequestContext): Promise<GatewayResponse> {
    const { request, audit } = context;

    const matched = matchRoute(gateways, request.path);
    if (!matched.ok) {
      const known = gatewayOfPath(gateways, request.path);
      if (known) (audit.gatewayId = known.id), (audit.gatewayName = known.name), (audit.revision = known.revision);
      return answerRefusal(ports, context, matched.refusal);
    }
    const route = matched.route;
    audit.gatewayId = route.gateway.id;
    audit.gatewayName = route.gateway.name;
    audit.revision = route.gateway.revision;
    if (route.kind === "oauth") {
      if (!ports.oauthRoutes) return answerRefusal(ports, context, refuse("ROUTE_NOT_FOUND", "OAuth routes are not configured"));
      return ports.oauthRoutes.handle(request, route.gateway, route.connection, route.action, context.requestId);
    }
    const { gateway, endpoint, tail } = route;
    audit.endpoint = endpoint.slug;
    audit.path = redactQuery(request.path, request.query, endpoint.auditQueryValues);
    const cors = corsPolicy(endpoint);
    if (cors !== null) {
      if (isPreflight(request)) {
        // An allowed preflight is answered here, before the token check; a refused one goes on without CORS headers.
        const allowed = preflightHeaders(cors, request.headers);
        if (allowed) return answerPreflight(ports, context, allowed);
      } else context.cors = cors;
    }

    const read = readToken(request.headers);
    if (!read.ok) return answerRefusal(ports, context, read.refusal);
    // The steps answer at once when they can (a cached token, the memory limiter, rendered
    // headers): an await of a value that is already there still costs a microtask turn.
    let verified = verifyToken(read.token, gateway, endpoint, { store: ports.tokens, cache, hash, now: context.started });
    if (verified instanceof Promise) verified = await verified;
    const tokenRecord = verified.record;
    if (tokenRecord && tokenRecord.gatewayId === gateway.id) {
      audit.tokenId = tokenRecord.id;
      audit.tokenLabel = tokenRecord.label;
    }
    if (!verified.ok) return answerRefusal(ports, context, verified.refusal);

    const shape = checkMethodAndLength(endpoint, request);
    if (!shape.ok) return answerRefusal(ports, context, shape.refusal);
    const target = buildUpstreamPath(endpoint, tail, request.query);
    if (!target.ok) return answerRefusal(ports, context, target.refusal);

    let limited = enforceRateLimit(ports.rateLimiter, rateLimitPlan(gateway, endpoint, verified.record), context.started);
    if (limited instanceof Promise) limited = await limited;
    if (!limited.ok) return answerRefusal(ports, context, limited.refusal);
    context.limitHeaders = limited.headers;

    let credentials = resolveCredentials(gateway, endpoint, ports, injected);
    if (credentials instanceof Promise) credentials = await credentials;
    if (!credentials.ok) return answerRefusal(ports, context, credentials.refusal);
    const body = limitBody(request.body, endpoint.maxRequestBytes, context.bytesIn);
    if (!body.ok) return answerRefusal(ports, context, body.refusal);

    const sent = await sendUpstream(ports, context, {
      gateway,
      endpoint,
      target,
      declared: shape.declared,
      body: body.body,
      credentials,
      injected,
      allowPrivate: allowPrivate(endpoint),
    });
    if (!sent.ok) return answerRefusal(ports, context, sent.refusal);
    return answerUpstream(ports, context, endpoint, sent.response, sent.secrets);
  }

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    // One string comparison per request; the health check never builds a context or an audit record.
    if (request.path === HEALTH_PATH) return answerHealth(ports, request.method);
    const context = newRequestContext(request, ports.clock.now());
    try {
      const response = await proxy(context);
      if (context.cors !== null) addCorsHeaders(context.cors, request, response);
      return response;
    } catch (error) {
      ports.log.error("engine.unexpected", { requestId: context.requestId, error: errorMessage(error) });
      return answerRefusal(ports, context, refuse("INTERNAL_ERROR", `unexpected: ${errorMessage(error)}`));
    }
  }

  return { handle };
}
