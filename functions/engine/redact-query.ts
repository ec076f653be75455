/**
 * The path as the audit keeps it: query values replaced by `[redacted]` unless the endpoint
 * lists the parameter in `auditQueryValues` (values can carry personal data or keys).
 */
export function redactQuery(path: string, query: string, keep: readonly string[]): string {
  if (query === "") return path;
  const parts = query.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    if (eq < 0) return pair;
    const name = pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {
      // keep the raw name
    }
    return keep.includes(decoded) ? pair : `${name}=[redacted]`;
  });
  return `${path}?${parts.join("&")}`;
}
