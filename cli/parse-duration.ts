const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Milliseconds of a duration such as `90s`, `15m`, `1h`, `30d` or `2w`; null when `text` is not one.
 *
 * @example
 * parseDuration("1h") // 3600000
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : null;
}
