/**
 * Header rules shared by the definition checks and the engine, so the two can never disagree.
 * @see RFC 9110 section 5.1 (field names are tokens) and section 7.6.1 (hop-by-hop fields).
 */

/** RFC 9110 `token`: what a header field name must be. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Connection-specific (hop-by-hop) fields: meaningful only for one connection, never relayed. */
export const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/**
 * Request headers a client may never have forwarded: the gateway owns framing, the upstream's
 * host and credentials, and the client's own credentials stop at the gateway.
 */
export function neverForwardReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower === "host") return "Host is set from the upstream URL";
  if (lower === "content-length") return "Content-Length is recomputed by the gateway";
  if (lower === "authorization") return "the client's Authorization carries its Gatehouse token and stops at the gateway";
  if (lower === "cookie") return "client cookies stop at the gateway";
  if (lower.startsWith("proxy-")) return "Proxy-* headers are for the hop to the gateway";
  if (lower.startsWith("x-forwarded-") || lower === "forwarded") return "client forwarding headers are never trusted";
  if (HOP_BY_HOP.has(lower)) return `${name} is a hop-by-hop header`;
  if (lower === "expect") return "Expect (100-continue) is answered by the gateway; the upstream gets the body without it";
  return null;
}

/**
 * Why `value` cannot be a header value, or null: CR, LF and NUL would end or split the field
 * (RFC 9110 §5.5), other control characters are refused by HTTP stacks. Never says the value.
 */
export function headerValueProblem(value: string): string | null {
  if (/[\r\n]/.test(value)) return "holds a line break (CR or LF), which a header value cannot carry";
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return "holds a control character, which a header value cannot carry";
  return null;
}

/** Headers that may not be injected either: the gateway computes them per connection. */
export function neverInjectReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower === "host") return "Host is set from the upstream URL";
  if (lower === "content-length") return "Content-Length is recomputed by the gateway";
  if (lower.startsWith("proxy-")) return "Proxy-* headers are for the hop to the gateway";
  if (HOP_BY_HOP.has(lower)) return `${name} is a hop-by-hop header`;
  return null;
}

/**
 * Forwarded when an endpoint names no `headers.forward`: content negotiation and the body's
 * own description, nothing that identifies the client or carries credentials.
 */
export const DEFAULT_FORWARD_HEADERS = [
  "accept",
  "accept-encoding",
  "accept-language",
  "content-type",
  "content-encoding",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "range",
  "user-agent",
] as const;
