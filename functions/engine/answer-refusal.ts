import type { EnginePorts } from "../ports/index.ts";
import type { GatewayResponse } from "../ports/http-types.ts";
import type { Refusal } from "./outcome.ts";
import { problemResponse } from "./problem-response.ts";
import type { RequestContext } from "./request-context.ts";
import { writeAudit } from "./write-audit.ts";

/** Turns a refusal into its problem response (with the request's RateLimit fields) and writes the audit record. */
export async function answerRefusal(ports: Pick<EnginePorts, "audit" | "log" | "clock">, context: RequestContext, refusal: Refusal): Promise<GatewayResponse> {
  const { audit } = context;
  const response = problemResponse(refusal, context.requestId, context.limitHeaders);
  audit.status = response.status;
  audit.decision = refusal.code;
  audit.reason = refusal.reason;
  if (refusal.ssrf) audit.ssrf = refusal.ssrf;
  if (refusal.code === "CLIENT_ABORTED") audit.clientAborted = true;
  audit.durationMs = ports.clock.now() - audit.time;
  audit.bytesIn = context.bytesIn.bytes;
  audit.bytesOut = response.body instanceof Uint8Array ? response.body.byteLength : 0;
  await writeAudit(ports.audit, ports.log, audit);
  return response;
}
