import { printable } from "./printable.ts";

/**
 * Lays rows out in aligned columns for people (two spaces between columns, the header first).
 * Every cell goes through {@link printable}: cells come from stored data (token labels, audit
 * paths), and a newline or an ANSI escape in one must not fake a row or recolour the terminal.
 *
 * @example
 * formatTable(["ID", "LABEL"], [["tok_1", "billing"]])
 */
export function formatTable(header: string[], unsafeRows: string[][]): string {
  const rows = unsafeRows.map((row) => row.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
