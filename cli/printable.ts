/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional overrides and isolates: what
 * can move a terminal's cursor, recolour it, end a row early or reorder what a reader sees.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from stored data or a definition made safe for a terminal: every control character
 * written as an escape (`\n`, `\x1b`, `\u202e`), and a backslash doubled so an escape cannot be
 * faked. A token label with a newline and an ANSI sequence prints as one visible line.
 *
 * @example
 * printable("ops\n\x1b[31mFAKE") // "ops\\n\\x1b[31mFAKE"
 */
export function printable(text: string): string {
  if (!HAS_UNPRINTABLE.test(text) && !text.includes("\\")) return text;
  return text.replace(/\\/g, "\\\\").replace(UNPRINTABLE, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)));
}

/** Whether `text` holds a character {@link printable} would escape (backslash aside). */
export function hasControlCharacters(text: string): boolean {
  return HAS_UNPRINTABLE.test(text);
}

function escapeCode(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
