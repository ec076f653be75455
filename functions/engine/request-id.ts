/** A new request id, `req_` and 32 hex digits (a v4 UUID without dashes), for every answer the gateway makes. */
export function newRequestId(): string {
  return `req_${crypto.randomUUID().replace(/-/g, "")}`;
}
