import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { EnginePorts } from "../ports/index.ts";
import type { Body, GatewayRequest } from "../ports/http-types.ts";
import type { UpstreamRequest, UpstreamResponse } from "../ports/upstream-client.ts";
import { forward } from "./forward.ts";
import { forwardedRequestHeaders } from "./header-policy.ts";
import { peekRejectedToken } from "./peek-rejected-token.ts";
import type { StepResult } from "./outcome.ts";
import type { RequestContext } from "./request-context.ts";
import { resolveCredentials, type Credentials, type InjectedHeaders } from "./resolve-credentials.ts";

/** Where and how a checked request goes upstream, as the earlier steps decided it. */
export interface UpstreamPlan {
  gateway: Gateway;
  endpoint: Endpoint;
  target: { origin: string; path: string };
  /** The client's Content-Length, re-sent as is (framing is otherwise recomputed). */
  declared: number | null;
  body: Body;
  credentials: Credentials;
  /** The engine's rendered injected headers, for a refresh's new credentials. */
  injected: InjectedHeaders;
  allowPrivate: readonly string[];
}

/**
 * Builds the upstream request (header policy, credentials, request id) and forwards it. When
 * the upstream rejects an OAuth bearer with 401 and the body can be sent again, the token is
 * refreshed once and the request replayed; the same for a provider's refusal inside a 200
 * (`ConnectionTokens.rejectedTokenSignal`, Slack). Answers the response and the secret values it must
 * be scrubbed of.
 */
export async function sendUpstream(
  ports: EnginePorts,
  context: RequestContext,
  plan: UpstreamPlan,
): Promise<StepResult<{ response: UpstreamResponse; secrets: readonly string[] }>> {
  const { request, audit } = context;
  const baseHeaders = forwardedRequestHeaders(plan.endpoint, request.headers);
  if (plan.declared !== null) baseHeaders["content-length"] = String(plan.declared);
  baseHeaders["x-request-id"] = context.requestId;
  let credentials = plan.credentials;
  const upstreamRequest: UpstreamRequest = {
    origin: plan.target.origin,
    path: plan.target.path,
    method: request.method,
    headers: withCredentials(baseHeaders, credentials),
    body: plan.body,
    timeoutMs: plan.endpoint.timeoutSeconds * 1000,
    allowPrivate: plan.allowPrivate,
  };
  if (request.signal) upstreamRequest.signal = request.signal;

  const upstreamStarted = ports.clock.now();
  let sent = await forward(ports.upstream, upstreamRequest);
  if (sent.ok && sent.response.status === 401 && credentials.bearer && replayable(request.body)) {
    await discard(sent.response);
    const refreshed = await resolveCredentials(plan.gateway, plan.endpoint, ports, plan.injected, credentials.bearer);
    if (!refreshed.ok) return refreshed;
    credentials = refreshed;
    sent = await forward(ports.upstream, { ...upstreamRequest, headers: withCredentials(baseHeaders, credentials) });
  } else if (sent.ok && credentials.bearer && replayable(request.body)) {
    // The same single replay for a refusal inside a 200 (Slack's ok:false token_expired).
    const signal = ports.connections?.rejectedTokenSignal?.(plan.gateway, plan.endpoint.connection!);
    const peeked = signal ? await peekRejectedToken(sent.response, signal) : null;
    if (peeked) sent = { ok: true, response: peeked.response };
    if (peeked?.rejected) {
      const refreshed = await resolveCredentials(plan.gateway, plan.endpoint, ports, plan.injected, credentials.bearer);
      if (!refreshed.ok) return refreshed;
      // Without a new token a replay cannot help: the provider's own answer goes back.
      if (refreshed.bearer !== credentials.bearer) {
        credentials = refreshed;
        sent = await forward(ports.upstream, { ...upstreamRequest, headers: withCredentials(baseHeaders, credentials) });
      }
    }
  }
  audit.upstreamDurationMs = ports.clock.now() - upstreamStarted;
  if (!sent.ok) return sent;
  return { ok: true, response: sent.response, secrets: credentials.secrets };
}

/** The forwarded headers with the credentials written over them, in place (a replay overwrites the same names). */
function withCredentials(headers: Record<string, string>, credentials: Credentials): Record<string, string> {
  for (const name in credentials.headers) headers[name] = credentials.headers[name]!;
  return headers;
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
