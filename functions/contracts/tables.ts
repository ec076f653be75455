/**
 * The DynamoDB tables, defined once as plain data. The adapters read key names from here,
 * `create-tables.ts` turns a definition into a CreateTable call, and `infra/` turns the same data
 * into an `aws.dynamodb.Table` (attributes, hashKey, rangeKey, globalSecondaryIndexes, ttl).
 * Every table is on-demand (PAY_PER_REQUEST): gateway traffic is bursty and we never want a
 * provisioned cap to refuse requests.
 */

/** A key attribute and its DynamoDB scalar type. */
export interface AttributeDefinition {
  name: string;
  type: "S" | "N";
}

/** A global secondary index; every one projects ALL attributes so reads need no second fetch. */
export interface IndexDefinition {
  name: string;
  hashKey: string;
  rangeKey?: string;
  projectionType: "ALL";
}

/** Everything needed to create one table, on a laptop or in Pulumi. */
export interface TableDefinition {
  /** Short name; the physical name is `<prefix>-<suffix>` (see {@link tableNames}). */
  suffix: string;
  /** Key attributes only (DynamoDB refuses definitions of attributes that key nothing). */
  attributes: AttributeDefinition[];
  hashKey: string;
  rangeKey?: string;
  globalSecondaryIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry for DynamoDB TTL; null when items never expire. */
  ttlAttribute: string | null;
}

/**
 * Client tokens, one item per token keyed by the SHA-256 of the token (the hot path is
 * `findByHash`, a strongly consistent GetItem). `byId` serves revoke/rotate/show, `byGateway`
 * lists a gateway's tokens newest first. Tokens never expire by TTL: the audit names token ids
 * long after they stop working.
 */
export const TOKENS_TABLE = {
  suffix: "tokens",
  attributes: [
    { name: "hash", type: "S" },
    { name: "id", type: "S" },
    { name: "gatewayId", type: "S" },
    { name: "createdAt", type: "N" },
  ],
  hashKey: "hash",
  globalSecondaryIndexes: [
    { name: "byId", hashKey: "id", projectionType: "ALL" },
    { name: "byGateway", hashKey: "gatewayId", rangeKey: "createdAt", projectionType: "ALL" },
  ],
  // Set once a token has expired or been revoked: the record goes some time after it died.
  ttlAttribute: "ttl",
} as const satisfies TableDefinition;

/**
 * Rate-limit counters: one item per counter home and clock hour (`pk` = `<home key>#<hour start
 * ms>`), holding the hour count and the current minute's count of every bucket counted there as
 * attributes, so one conditional UpdateItem checks and counts both windows (see
 * `dynamo-rate-limiter.ts`). Items expire by TTL an hour after their hour ends.
 */
export const RATE_LIMITS_TABLE = {
  suffix: "rate-limits",
  attributes: [{ name: "pk", type: "S" }],
  hashKey: "pk",
  globalSecondaryIndexes: [],
  ttlAttribute: "ttl",
} as const satisfies TableDefinition;

/**
 * Audit records, one item per request, written with one PutItem: `pk` = `<gatewayId>#<shard>`,
 * `sk` = `<time, 13 digits>#<requestId>`, so "this gateway in a time range" is one Query per
 * shard, and token, endpoint and status are filters over that range (DynamoDB reads, and bills,
 * every record of the range, then returns the matches). No secondary index: each GSI would copy
 * every write and cost another write unit per request (issue 18: an admitted request makes at
 * most 2, the rate-limit update and this one). Every item is kept at most 1 KB (1 write unit);
 * see `fitAuditItem`. Records expire by TTL after the retention period. Shards: `AUDIT_SHARDS`
 * in `dynamo-audit-sink.ts`.
 */
export const AUDIT_TABLE = {
  suffix: "audit",
  attributes: [
    { name: "pk", type: "S" },
    { name: "sk", type: "S" },
  ],
  hashKey: "pk",
  rangeKey: "sk",
  globalSecondaryIndexes: [],
  ttlAttribute: "ttl",
} as const satisfies TableDefinition;

/**
 * OAuth connections: one item per connection (`pk` = `<gatewayId>#<connection>`) holding the
 * sealed tokens and a numeric `version` attribute for optimistic (conditional) writes; its
 * refresh lease is an item of its own (`<gatewayId>#<connection>#lease`), and so is each connect
 * session (`session#<id hash>`). Leases and sessions expire by `ttl`.
 */
export const CONNECTIONS_TABLE = {
  suffix: "connections",
  attributes: [{ name: "pk", type: "S" }],
  hashKey: "pk",
  globalSecondaryIndexes: [],
  ttlAttribute: "ttl",
} as const satisfies TableDefinition;

/** The non-key attribute the connections table's conditional writes compare. */
export const CONNECTION_VERSION_ATTRIBUTE = "version";

/** Every table by logical name. */
export const TABLES = {
  tokens: TOKENS_TABLE,
  rateLimits: RATE_LIMITS_TABLE,
  audit: AUDIT_TABLE,
  connections: CONNECTIONS_TABLE,
} as const satisfies Record<string, TableDefinition>;

/** Logical table names: the keys of {@link TABLES} and of `tables` in a stack-outputs file. */
export type TableKey = keyof typeof TABLES;

/** Physical table names by logical name. */
export type TableNames = Record<TableKey, string>;

/** The local and default prefix. */
export const DEFAULT_TABLE_PREFIX = "gatehouse";

/**
 * Physical names from a prefix: `tableNames("acme-prod").tokens` is `"acme-prod-tokens"`.
 *
 * @example
 * tableNames("gatehouse") // { tokens: "gatehouse-tokens", rateLimits: "gatehouse-rate-limits", ... }
 */
export function tableNames(prefix: string = DEFAULT_TABLE_PREFIX): TableNames {
  const names = {} as TableNames;
  for (const key of Object.keys(TABLES) as TableKey[]) names[key] = `${prefix}-${TABLES[key].suffix}`;
  return names;
}
