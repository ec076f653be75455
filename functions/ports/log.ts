/**
 * Log: structured, one JSON object per line. Used for access lines, warnings and the audit
 * fallback. Contract: never throws; never given header values, bodies, tokens or secrets.
 */
export interface Log {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

let formattedAt = Number.NaN;
let formatted = "";

/** Now as an ISO 8601 string, formatted at most once per millisecond: formatting a Date cost more than the rest of an access line. */
function isoNow(): string {
  const now = Date.now();
  if (now !== formattedAt) {
    formattedAt = now;
    formatted = new Date(now).toISOString();
  }
  return formatted;
}

/** A log that writes JSON lines to a function (the front door's wiring passes stdout or stderr). */
export function jsonLog(write: (line: string) => void): Log {
  const emit = (level: string, event: string, fields?: Record<string, unknown>) => {
    try {
      write(JSON.stringify({ time: isoNow(), level, event, ...fields }));
    } catch {
      // A log line that cannot be written must not fail the request.
    }
  };
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}
