/** `PRAGMA application_id` of a Gatehouse store ("GHse"), so another program's SQLite file is refused. */
export const APPLICATION_ID = 0x47487365;

/** `PRAGMA user_version`: the schema this code reads and writes. */
export const SCHEMA_VERSION = 1;

/**
 * The tables of the store, one per port. Records whose shape only the code reads (audit records,
 * connections, connect sessions) are stored as JSON beside the columns that are queried.
 */
export const SCHEMA_SQL = `
CREATE TABLE tokens (
  hash TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  gateway_id TEXT NOT NULL,
  label TEXT NOT NULL,
  endpoints TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  rotated_from TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_by_gateway ON tokens (gateway_id, created_at);

CREATE TABLE rate_counters (
  counter TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  gateway_id TEXT,
  token_id TEXT,
  record TEXT NOT NULL
);
CREATE INDEX audit_by_gateway ON audit (gateway_id, time);
CREATE INDEX audit_by_token ON audit (token_id, time) WHERE token_id IS NOT NULL;

CREATE TABLE connections (
  gateway_id TEXT NOT NULL,
  connection TEXT NOT NULL,
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (gateway_id, connection)
) WITHOUT ROWID;

CREATE TABLE leases (
  gateway_id TEXT NOT NULL,
  connection TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, connection)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  record TEXT NOT NULL
) WITHOUT ROWID;
`;
