import { UpstreamError } from "../../ports/upstream-client.ts";
import { GATEHOUSE_SSRF_REFUSED, type SsrfRefusedError } from "./ssrf/ssrf-refused-error.ts";
import { errorMessage } from "../../../schema/error-message.ts";
import type { TrackedBody } from "./track-body.ts";

/** The reason an upstream call is stopped when the endpoint's timeout passes before the head. */
export const TIMEOUT = Symbol("upstream timeout");

/**
 * Why an upstream call failed before its response head, as the UpstreamClient contract names it.
 * `stopReason` is set when the gateway stopped the call itself: {@link TIMEOUT}, or the client's
 * abort reason. An error of the client's own body wins over everything undici reports.
 */
export function classifyUpstreamError(error: unknown, stopReason: unknown, tracked: TrackedBody | null): UpstreamError {
  const bodyError = tracked?.error();
  if (bodyError !== undefined) return new UpstreamError("body", "reading the request body failed", { cause: bodyError });
  if (stopReason !== undefined) {
    if (stopReason === TIMEOUT && tracked?.waitingOnClient()) {
      return new UpstreamError("client_timeout", "the client did not send its declared body in time");
    }
    return stopReason === TIMEOUT
      ? new UpstreamError("timeout", "the upstream did not answer in time")
      : new UpstreamError("aborted", "client went away during the upstream call");
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === GATEHOUSE_SSRF_REFUSED) {
    const refusal = error as SsrfRefusedError;
    return new UpstreamError("unreachable", refusal.message, { guard: { rule: refusal.rule, addresses: refusal.addresses }, cause: error });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT") return new UpstreamError("timeout", "the upstream did not answer in time");
  const message = errorMessage(error);
  return new UpstreamError("unreachable", `${typeof code === "string" ? `${code}: ` : ""}${message}`, { cause: error });
}
