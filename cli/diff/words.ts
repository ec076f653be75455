/** Small wording helpers shared by the diff sentences, so every sentence formats values alike. */

/** A value as inline code, safe when the value itself holds a backtick. */
export function code(value: string): string {
  return value.includes("`") ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** "a", "a and b", "a, b and c". */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "header `a`" or "headers `a` and `b`". */
export function nounList(singular: string, plural: string, items: readonly string[]): string {
  return `${items.length === 1 ? singular : plural} ${joinWords(items.map(code))}`;
}

/** "is" or "are" for a list. */
export function isAre(items: readonly unknown[]): string {
  return items.length === 1 ? "is" : "are";
}

/** Bytes for people: 1 MiB, 256 KiB, 1000 bytes. */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, "GiB"],
    [1024 * 1024, "MiB"],
    [1024, "KiB"],
  ];
  for (const [size, unit] of units) if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toFixed(1)} ${unit} (${bytes} bytes)`;
  return `${bytes} bytes`;
}

/** Items of `after` missing from `before` and the reverse, order ignored, sorted by `order`. */
export function setDelta<T>(before: readonly T[], after: readonly T[], order?: readonly T[]): { added: T[]; removed: T[] } {
  const sort = (items: T[]) => (order ? items.sort((a, b) => order.indexOf(a) - order.indexOf(b)) : items.sort());
  const b = new Set(before);
  const a = new Set(after);
  return { added: sort([...a].filter((x) => !b.has(x))), removed: sort([...b].filter((x) => !a.has(x))) };
}
