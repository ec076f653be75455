import * as z from "zod";
import type { AuditRecord } from "../../ports/audit-sink.ts";
import type { ConnectionRecord, ConnectSession } from "../../ports/connection-store.ts";
import type { TokenRecord } from "../../ports/token-store.ts";

/**
 * Checks on records read back from a store. A stored item may have been edited by hand or
 * written by an older version; a wrong one must be an error naming the field, never an object
 * of the wrong type passed on. Fields that older versions did not write are `nullish` and get
 * their documented default; unknown attributes (keys, TTL) are dropped.
 */
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const tokenRecord = z.object({
  id: z.string(),
  hash: z.string(),
  gatewayId: z.string(),
  label: z
    .string()
    .nullish()
    .transform((v) => v ?? ""),
  endpoints: nullable(z.array(z.string())),
  createdAt: z.number(),
  expiresAt: nullable(z.number()),
  revokedAt: nullable(z.number()),
  // Stored as null when absent; the record carries it only when set.
  rotatedFrom: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

const connectionError = z.object({ class: z.enum(["grant_dead", "misconfigured", "transient"]), code: z.string(), message: z.string(), at: z.number() });
const connectionRecord = z.object({
  gatewayId: z.string(),
  connection: z.string(),
  provider: z.string(),
  version: z.number().int(),
  status: z.enum(["connected", "needs_reauthorization", "misconfigured"]),
  sealedTokens: nullable(z.string()),
  identity: nullable(z.object({ id: z.string().nullable(), label: z.string().nullable(), details: z.record(z.string(), z.string()) })),
  scopes: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  expiresAt: nullable(z.number()),
  refreshable: z.boolean(),
  connectedAt: z.number(),
  lastRefreshAt: nullable(z.number()),
  lastError: nullable(connectionError),
  updatedAt: z.number(),
});

const connectSession = z.object({
  idHash: z.string(),
  gatewayId: z.string(),
  connection: z.string(),
  baseUrl: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  stage: z.enum(["issued", "started"]),
  stateHash: z.string().optional(),
  sealedVerifier: z.string().optional(),
  browserHash: z.string().optional(),
});

const auditRecord = z.looseObject({
  requestId: z.string(),
  time: z.number(),
  event: z.string(),
  gatewayId: z.string().nullable(),
  gatewayName: z.string().nullable(),
  endpoint: z.string().nullable(),
  tokenId: z.string().nullable(),
  tokenLabel: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  upstreamStatus: z.number().nullable(),
  decision: z.string(),
  reason: z.string().nullable(),
  durationMs: z.number(),
  upstreamDurationMs: z.number().nullable(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  clientAddress: z.string(),
  userAgent: z.string().nullable(),
  revision: z.string().nullable(),
});

/** Drops the `undefined` members zod leaves for absent optional fields (the ports' types forbid them). */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function check<T>(schema: z.ZodType, what: string, item: unknown): T {
  const result = schema.safeParse(item);
  if (result.success) return defined(result.data as object) as T;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(item)"}: ${issue.message}`).join("; ");
  throw new Error(`a stored ${what} is malformed (${problems}); it was edited by hand or written by an incompatible version`);
}

/** A stored token, checked. */
export const storedTokenRecord = (item: unknown): TokenRecord => check(tokenRecord, "token record", item);
/** A stored connection, checked. */
export const storedConnectionRecord = (item: unknown): ConnectionRecord => check(connectionRecord, "connection record", item);
/** A stored connect session, checked. */
export const storedConnectSession = (item: unknown): ConnectSession => check(connectSession, "connect session", item);
/**
 * A stored audit record, checked on the fields every record has; the optional ones (`ssrf`,
 * `clientAborted`, later additions) pass through, so records of newer versions still read.
 */
export const storedAuditRecord = (item: unknown): AuditRecord => check(auditRecord, "audit record", item);
