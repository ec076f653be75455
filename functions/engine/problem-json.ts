/**
 * The one builder of problem+json (RFC 9457) for every answer the gateway makes itself: the
 * engine's refusals and the front doors' own errors (framing, shutdown, start-up, Lambda
 * limits) all have `type`, `title`, `status`, `detail`, `code` and `requestId`, and are never
 * cached.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export interface Problem {
  status: number;
  /** The stable code (`TOKEN_INVALID`); `type` is derived from it. */
  code: string;
  title: string;
  detail: string;
  requestId: string;
  /** Extra members, e.g. how to reconnect a connection. */
  extra?: Record<string, unknown> | undefined;
}

/** A problem ready to send: its headers (content type, `cache-control: no-store`, `x-request-id`) and JSON text. */
export interface ProblemJson {
  headers: Record<string, string>;
  text: string;
}

/** The `type` URI of a code: `TOKEN_INVALID` -> `https://gatehouse.dev/problems/token-invalid`. */
export function problemType(code: string): string {
  return `https://gatehouse.dev/problems/${code.toLowerCase().replace(/_/g, "-")}`;
}

/** Builds the body and headers of a problem. */
export function problemJson(problem: Problem): ProblemJson {
  const body = {
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    requestId: problem.requestId,
    ...problem.extra,
  };
  return {
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", "x-request-id": problem.requestId },
    text: JSON.stringify(body),
  };
}
