import { errorMessage } from "../../schema/error-message.ts";
import type { EnginePorts } from "../ports/index.ts";
import type { GatewayResponse } from "../ports/http-types.ts";
import { problemJson } from "./problem-json.ts";
import { newRequestId } from "./request-id.ts";

/** The health check's path, outside `/api/` so no gateway id or slug can ever collide with it. */
export const HEALTH_PATH = "/healthz";

/** How long the store may take to answer before the check says it does not. */
export const HEALTH_TIMEOUT_MS = 3000;

/** A hash no token has (tokens hash to 64 hex digits): the probe reads the store and finds nothing. */
const PROBE_HASH = "healthz-probe";

const OK_BODY = new TextEncoder().encode('{"status":"ok"}');

/**
 * `GET /healthz` (and `HEAD`), no token: 200 `{"status":"ok"}` when the token store answers a
 * lookup within {@link HEALTH_TIMEOUT_MS} (it is what every request reads first; locally it is the
 * SQLite file every table lives in), 503 problem+json `STORE_UNAVAILABLE` when it fails or hangs.
 * Never audited: a load balancer's probe every few seconds is not a proxied call.
 */
export async function answerHealth(ports: Pick<EnginePorts, "tokens" | "log">, method: string): Promise<GatewayResponse> {
  const requestId = newRequestId();
  if (method !== "GET" && method !== "HEAD") {
    const problem = problemJson({
      status: 405,
      code: "METHOD_NOT_ALLOWED",
      title: "Method not allowed",
      detail: "The health check answers GET and HEAD.",
      requestId,
    });
    return { status: 405, headers: { ...problem.headers, allow: "GET, HEAD" }, body: new TextEncoder().encode(problem.text) };
  }
  const failure = await probe(ports);
  if (failure === null) {
    return {
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store", "content-length": String(OK_BODY.byteLength), "x-request-id": requestId },
      body: OK_BODY,
    };
  }
  ports.log.warn("health.store_unavailable", { requestId, error: failure });
  const problem = problemJson({
    status: 503,
    code: "STORE_UNAVAILABLE",
    title: "Service unavailable",
    detail: "The gateway's store did not answer; proxied calls would be refused too.",
    requestId,
  });
  return { status: 503, headers: problem.headers, body: new TextEncoder().encode(problem.text) };
}

/** Null when the store answered in time, else why not. */
async function probe(ports: Pick<EnginePorts, "tokens">): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${HEALTH_TIMEOUT_MS} ms`), HEALTH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      ports.tokens.findByHash(PROBE_HASH).then(
        () => null,
        (error: unknown) => errorMessage(error),
      ),
      timeout,
    ]);
  } catch (error) {
    return errorMessage(error);
  } finally {
    clearTimeout(timer);
  }
}
