import { dynamoItemBytes, utf8Bytes } from "./dynamo-item-size.ts";

/** DynamoDB bills a write 1 unit per started KB of item: kept at this, an audit write is 1 unit. */
export const MAX_AUDIT_ITEM_BYTES = 1024;

/** Free-text fields a client or upstream controls the length of, shortened in this order of need (longest first). */
const SHORTENABLE = ["path", "userAgent", "reason", "tokenLabel", "gatewayName"] as const;

/** Appended to a shortened value, so a reader sees it was cut. */
export const SHORTENED_MARK = "…";

/** A value is never cut below this many bytes (plus the mark). */
const KEEP_AT_LEAST = 32;

/**
 * The audit item, made to fit {@link MAX_AUDIT_ITEM_BYTES} by DynamoDB's size rules: the longest
 * of the free-text fields (path with its redacted query, User-Agent, reason, labels) is cut,
 * on a character boundary, and marked with `…`, until the item fits; then the SSRF addresses
 * beyond the first are dropped. Keys, times, status, decision and counts are never touched. An
 * item that still does not fit (fixed fields over the limit) is written anyway: one more write
 * unit, never a lost record.
 *
 * @example
 * fitAuditItem({ ...item, path: "/proxy/x/" + "a".repeat(5000) }).path // "/proxy/x/aaaa…aaa…", item ≤ 1024 bytes
 */
export function fitAuditItem(item: Record<string, unknown>, max: number = MAX_AUDIT_ITEM_BYTES): Record<string, unknown> {
  let over = dynamoItemBytes(item) - max;
  if (over <= 0) return item;
  const fitted: Record<string, unknown> = { ...item };
  while (over > 0) {
    const longest = longestShortenable(fitted);
    if (longest && longest.bytes > KEEP_AT_LEAST + utf8Bytes(SHORTENED_MARK)) {
      const keep = Math.max(KEEP_AT_LEAST, longest.bytes - over - utf8Bytes(SHORTENED_MARK));
      fitted[longest.name] = truncateUtf8(longest.value, keep) + SHORTENED_MARK;
    } else {
      const ssrf = fitted.ssrf as { rule: string; addresses: string[] } | null | undefined;
      if (!ssrf || ssrf.addresses.length <= 1) break;
      fitted.ssrf = { ...ssrf, addresses: ssrf.addresses.slice(0, -1) };
    }
    over = dynamoItemBytes(fitted) - max;
  }
  return fitted;
}

function longestShortenable(item: Record<string, unknown>): { name: string; value: string; bytes: number } | undefined {
  let found: { name: string; value: string; bytes: number } | undefined;
  for (const name of SHORTENABLE) {
    const value = item[name];
    if (typeof value !== "string") continue;
    const bytes = utf8Bytes(value);
    if (!found || bytes > found.bytes) found = { name, value, bytes };
  }
  return found;
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
