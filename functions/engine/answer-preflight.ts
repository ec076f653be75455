import type { EnginePorts } from "../ports/index.ts";
import type { GatewayResponse } from "../ports/http-types.ts";
import type { RequestContext } from "./request-context.ts";
import { writeAudit } from "./write-audit.ts";

/**
 * The gateway's own answer to a CORS preflight its policy allows: `204` with the CORS headers,
 * no token needed (browsers never send credentials on a preflight) and nothing forwarded.
 * Audited like every request, as `CORS_PREFLIGHT`.
 */
export async function answerPreflight(
  ports: Pick<EnginePorts, "audit" | "log" | "clock">,
  context: RequestContext,
  corsHeaders: Record<string, string>,
): Promise<GatewayResponse> {
  const { audit } = context;
  audit.status = 204;
  audit.decision = "CORS_PREFLIGHT";
  audit.durationMs = ports.clock.now() - audit.time;
  await writeAudit(ports.audit, ports.log, audit);
  return { status: 204, headers: { ...corsHeaders, "x-request-id": context.requestId }, body: null };
}
