import { AuditRecordSchema } from "../schema/audit-record.ts";
import type { AuditRecord } from "../functions/ports/audit-sink.ts";
import { formatTable } from "./format-table.ts";

/** What `gatehouse audit --format` prints. */
export type AuditFormat = "table" | "json" | "csv";

/** The CSV columns: every field of the record, in the schema's order (the README's and the JSON Schema's). */
export const CSV_COLUMNS = Object.keys(AuditRecordSchema.shape) as Array<keyof AuditRecord>;

const TABLE_HEADER = ["TIME", "STATUS", "DECISION", "REASON", "METHOD", "ENDPOINT", "TOKEN", "DURATION", "REVISION", "PATH"];

function tableRow(r: AuditRecord): string[] {
  return [
    new Date(r.time).toISOString(),
    String(r.status),
    r.decision,
    // Why a request was refused (or what went wrong after it was admitted); "-" for a plain OK.
    r.reason ?? "-",
    r.method,
    r.endpoint ?? "-",
    r.tokenId ? `${r.tokenId}${r.tokenLabel ? ` (${r.tokenLabel})` : ""}` : "-",
    `${r.durationMs}ms`,
    r.revision ?? "-",
    // The path was redacted before it was stored; PATH is last because it is the longest.
    r.path,
  ];
}

/** Records laid out for people, the refusal reason included; `header: false` for the rows `--follow` adds. */
export function auditTable(records: AuditRecord[], header = true): string {
  const text = formatTable(TABLE_HEADER, records.map(tableRow));
  return header ? text : text.slice(text.indexOf("\n") + 1);
}

/** One record per line (JSON Lines): each line a whole record, valid against `audit-record.schema.json`. */
export function auditJsonLines(records: AuditRecord[]): string[] {
  return records.map((r) => JSON.stringify(r));
}

/** The CSV header line. */
export function auditCsvHeader(): string {
  return CSV_COLUMNS.map(csvField).join(",");
}

/**
 * One CSV line per record (RFC 4180: a field holding a comma, a quote, CR or LF is quoted and its
 * quotes doubled; lines end in CRLF when joined by the caller). Null and absent are empty, `ssrf`
 * is its JSON. Text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
 * CR: paths and User-Agents come from clients) gets a leading `'`, as OWASP's CSV injection advice says.
 */
export function auditCsvRows(records: AuditRecord[]): string[] {
  return records.map((r) => CSV_COLUMNS.map((column) => csvField(cell(r[column]))).join(","));
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string") return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
