/** Separators some upstream or proxy in front of it treats as ending a segment. */
const SEPARATORS = /[/\\;]/;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;

/** Decodes `%XX` escapes to single characters (one byte each): enough to see dots and separators. */
function decodeOnce(text: string): string {
  return text.includes("%") ? text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/**
 * Whether a raw path tail could become a dot segment somewhere downstream: the tail as sent,
 * decoded once and decoded twice (a proxy in front of the upstream may decode again), each split
 * on `/`, `\` and `;` (servlet containers end a segment at `;`, Windows servers at `\`). A
 * segment that is exactly `.` or `..` in any of these readings is a climb. Nothing is rewritten:
 * tails that pass go upstream byte for byte (`group%2Fproject`, `a%20b`).
 */
export function hasDotSegment(tail: string): boolean {
  if (!tail.includes(".") && !tail.includes("%")) return false;
  let reading = tail;
  for (let pass = 0; pass < 3; pass++) {
    for (const segment of reading.split(SEPARATORS)) {
      if (segment === "." || segment === "..") return true;
    }
    const next = decodeOnce(reading);
    if (next === reading) break;
    reading = next;
  }
  return false;
}
