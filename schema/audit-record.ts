import * as z from "zod";

/**
 * The audit record, field by field: the one source of the `AuditRecord` type the engine writes
 * and of `audit-record.schema.json` (JSON Schema draft 2020-12) shipped in the package, so the
 * two cannot drift. Readers of `gatehouse audit --format json` (JSON Lines) validate each line
 * against it.
 *
 * @example
 * import schema from "gatehouse-gateway/audit-record.schema.json" with { type: "json" };
 */
export const AuditRecordSchema = z
  .strictObject({
    requestId: z
      .string()
      .describe("The request's id, `req_` and 32 hex digits, as sent in `X-Request-Id` and problem+json; `oauth_…` for OAuth events without a request"),
    time: z.number().int().nonnegative().describe("When the request arrived, epoch milliseconds"),
    event: z
      .string()
      .describe(
        "What happened: `proxy.request` (every request through the gateway, admitted or refused), or `oauth.connect`, `oauth.refresh`, `oauth.refresh_failed`, `oauth.disconnect`",
      ),
    gatewayId: z.string().nullable().describe("The gateway's UUID, when the path named a known one (a 404 under it included); null otherwise"),
    gatewayName: z.string().nullable().describe("The gateway's name, with `gatewayId`"),
    endpoint: z.string().nullable().describe("The endpoint slug, when the route matched one"),
    tokenId: z.string().nullable().describe("The client token's public id (`tok_…`) when it was found; never the token"),
    tokenLabel: z.string().nullable().describe("That token's label (the app it was issued to)"),
    method: z.string().describe("The request method as received"),
    path: z.string().describe("The request path and query, each query value redacted unless the endpoint lists it in `auditQueryValues`"),
    status: z.number().int().describe("The status sent to the client (499 when it left before the answer)"),
    upstreamStatus: z.number().int().nullable().describe("The upstream's status, when it answered (the provider's for OAuth events)"),
    decision: z
      .string()
      .describe(
        "A stable code: `OK`, `CORS_PREFLIGHT`, or the refusal: `ROUTE_NOT_FOUND`, `BAD_PATH`, `TOKEN_INVALID`, `TOKEN_NOT_SCOPED`, `METHOD_NOT_ALLOWED`, `BODY_TOO_LARGE`, `RATE_LIMITED`, `CONNECTION_NOT_CONNECTED`, `CONNECTION_NEEDS_REAUTHORIZATION`, `CONNECTION_MISCONFIGURED`, `STORE_UNAVAILABLE`, `SECRET_UNAVAILABLE`, `UPSTREAM_UNREACHABLE`, `UPSTREAM_TIMEOUT`, `UPSTREAM_INTERRUPTED`, `CLIENT_TIMEOUT`, `CLIENT_ABORTED`, `RESPONSE_TOO_LARGE`, `INTERNAL_ERROR`; OAuth events have their own",
      ),
    reason: z
      .string()
      .nullable()
      .describe("Why, in more words than the client got (which token check failed, the SSRF rule, the provider's error); null when admitted"),
    durationMs: z.number().nonnegative().describe("Time from arrival to the end of the response, milliseconds"),
    upstreamDurationMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe("Time until the upstream's response head, milliseconds; null when nothing was sent upstream"),
    bytesIn: z.number().int().nonnegative().describe("Request body bytes read from the client"),
    bytesOut: z.number().int().nonnegative().describe("Response body bytes sent to the client"),
    clientAddress: z.string().describe("The client's IP address as the front door saw it"),
    userAgent: z.string().nullable().describe("The client's User-Agent, at most 256 characters"),
    revision: z.string().nullable().describe("Hash of the definition that decided (`+override` when `gatehouse dev --upstream` changed it)"),
    ssrf: z
      .strictObject({
        rule: z.string().describe("The SSRF guard's rule, e.g. `ipv4:private`"),
        addresses: z.array(z.string()).describe("The addresses the upstream's name resolved to"),
      })
      .nullable()
      .optional()
      .describe("For a refusal by the SSRF guard: which rule, and the addresses it saw"),
    clientAborted: z.boolean().optional().describe("Present and true when the client went away before the response was complete"),
    secretsScrubbed: z.boolean().optional().describe("Present and true when an injected secret or OAuth token came back from the upstream and was masked"),
  })
  .describe("One audited request or OAuth event (Gatehouse). No header values, bodies, tokens or secrets.");

/** One audited request, as the engine writes it and every reader returns it. */
export type AuditRecordShape = z.output<typeof AuditRecordSchema>;

/** The JSON Schema (draft 2020-12) of one record, as shipped in `schema/audit-record.schema.json`. */
export function auditRecordJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://gatehouse.dev/schemas/audit-record.schema.json",
    title: "Gatehouse audit record",
    ...z.toJSONSchema(AuditRecordSchema, { target: "draft-2020-12" }),
  };
}
