import type { Endpoint } from "../../schema/gateway.ts";
import { errorMessage } from "../../schema/error-message.ts";
import type { EnginePorts } from "../ports/index.ts";
import type { GatewayResponse } from "../ports/http-types.ts";
import type { UpstreamResponse } from "../ports/upstream-client.ts";
import { auditedBody } from "./audited-body.ts";
import { returnedResponseHeaders } from "./header-policy.ts";
import type { RequestContext } from "./request-context.ts";
import { scrubResponse } from "./scrub-response.ts";
import { writeAudit } from "./write-audit.ts";

/**
 * The upstream's answer as the client gets it: filtered headers, the RateLimit fields and the
 * request id, the body scrubbed of the injected secrets and audited when it ends (completed,
 * failed, or abandoned by the client).
 */
export function answerUpstream(
  ports: Pick<EnginePorts, "audit" | "log" | "clock">,
  context: RequestContext,
  endpoint: Endpoint,
  upstream: UpstreamResponse,
  secrets: readonly string[],
): GatewayResponse {
  const { audit, limitHeaders } = context;
  audit.status = upstream.status;
  audit.upstreamStatus = upstream.status;
  const headers = returnedResponseHeaders(endpoint, upstream.headers);
  const filter = scrubResponse(endpoint, secrets, headers, audit);
  for (const name in limitHeaders) headers[name] = limitHeaders[name]!;
  headers["x-request-id"] = context.requestId;
  const body = auditedBody(upstream.body, filter, ({ bytes, completed, error }) => {
    audit.bytesOut = bytes;
    audit.bytesIn = context.bytesIn.bytes;
    audit.durationMs = ports.clock.now() - context.started;
    if (!completed) {
      // When the client left, the upstream body usually fails as a consequence: the client's
      // departure is the cause worth recording.
      const clientGone = error === undefined || context.request.signal?.aborted === true;
      audit.decision = clientGone ? "CLIENT_ABORTED" : "UPSTREAM_INTERRUPTED";
      audit.reason = clientGone ? "client went away during the response" : `upstream body failed: ${errorMessage(error)}`;
      if (clientGone) audit.clientAborted = true;
    }
    return writeAudit(ports.audit, ports.log, audit);
  });
  return { status: upstream.status, headers, body };
}
