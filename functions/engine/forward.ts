import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from "../ports/upstream-client.ts";
import { UpstreamError } from "../ports/upstream-client.ts";
import { BodyTooLargeError } from "./limit-body.ts";
import { refuse, type Refusal } from "./outcome.ts";
import { errorMessage } from "../../schema/error-message.ts";

/**
 * Sends the request upstream and turns transport failures into refusals: timeout 504 (408
 * when it was the client's body that did not arrive),
 * unreachable 502 (the same for a closed port and a guard refusal; the audit keeps which),
 * body over its limit 413, client gone 499.
 */
export function forward(client: UpstreamClient, request: UpstreamRequest): Promise<Forwarded> {
  // One derived promise rather than an async function's own and its await's.
  let sent: Promise<UpstreamResponse>;
  try {
    sent = client.send(request);
  } catch (error) {
    sent = Promise.reject(error);
  }
  return sent.then(answered, failed);
}

/** The upstream's response, or the refusal its failure becomes. */
export type Forwarded = { ok: true; response: UpstreamResponse } | { ok: false; refusal: Refusal };

const answered = (response: UpstreamResponse): Forwarded => ({ ok: true, response });
const failed = (error: unknown): Forwarded => ({ ok: false, refusal: upstreamRefusal(error) });

function upstreamRefusal(error: unknown): Refusal {
  if (error instanceof BodyTooLargeError) return refuse("BODY_TOO_LARGE", error.message);
  if (!(error instanceof UpstreamError)) return refuse("UPSTREAM_UNREACHABLE", `upstream call failed: ${errorMessage(error)}`);
  switch (error.kind) {
    case "timeout":
      return refuse("UPSTREAM_TIMEOUT", error.message);
    case "client_timeout":
      return refuse("CLIENT_TIMEOUT", error.message);
    case "aborted":
      return refuse("CLIENT_ABORTED", error.message);
    case "body":
      if (error.details.cause instanceof BodyTooLargeError) return refuse("BODY_TOO_LARGE", error.details.cause.message);
      return refuse("CLIENT_ABORTED", `request body failed: ${errorMessage(error.details.cause)}`);
    case "unreachable":
      return refuse("UPSTREAM_UNREACHABLE", error.message, error.details.guard ? { ssrf: error.details.guard } : {});
  }
}
