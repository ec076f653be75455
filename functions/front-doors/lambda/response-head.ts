/** Headers the Lambda runtime or API Gateway sets itself: the body is re-framed on the way out. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/**
 * Splits engine response headers into what payload v2 wants: single-string headers (repeated
 * values joined with `, `) and `Set-Cookie` values as a list, each of which becomes its own
 * header (joining cookies with commas would corrupt their `Expires` dates).
 */
export function responseHead(headers: Record<string, string | string[]>): { headers: Record<string, string>; cookies: string[] } {
  const out: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    if (name === "set-cookie") cookies.push(...values);
    else if (!FRAMING.has(name)) out[name] = out[name] === undefined ? values.join(", ") : `${out[name]}, ${values.join(", ")}`;
  }
  return { headers: out, cookies };
}
