/**
 * The size DynamoDB bills an item at, from its document-client form (strings, numbers, booleans,
 * null, lists, maps; `undefined` is dropped on write). The rules are the Developer Guide's
 * "Item sizes and formats" page: an attribute's name counts in UTF-8 bytes plus its value; a
 * string is its UTF-8 bytes; a number about 1 byte per 2 significant digits plus 1; a boolean
 * or null 1 byte; a list or map 3 bytes plus 1 byte per element, plus the elements (a map's
 * names too). Numbers are counted generously (2 bytes over half their significant digits, one
 * more if negative, 21 at most: the 38-digit ceiling), so the result may exceed what DynamoDB
 * charges, never fall short.
 *
 * @example
 * dynamoItemBytes({ pk: "gw#1", n: 12345 }) // 2 + 4 + 1 + 5 = 12
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  let total = 0;
  for (const name in item) {
    const value = item[name];
    if (value === undefined) continue;
    total += utf8Bytes(name) + valueBytes(value);
  }
  return total;
}

function valueBytes(value: unknown): number {
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number") return numberBytes(value);
  if (typeof value === "boolean" || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === "object") {
    const map = value as Record<string, unknown>;
    const keys = Object.keys(map).filter((k) => map[k] !== undefined);
    return 3 + keys.length + dynamoItemBytes(map);
  }
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}

function numberBytes(value: number): number {
  const sign = value < 0 ? 1 : 0;
  const digits = String(Math.abs(value)).replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 2 + sign);
}

/** UTF-8 length of a string without allocating a buffer. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
