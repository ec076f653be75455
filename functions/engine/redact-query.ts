/**
 * The path as the audit keeps it: query values replaced by `[redacted]` unless the endpoint
 * lists the parameter in `auditQueryValues` (values can carry personal data or keys). An item
 * without `=` (`?sk_live_...`) is a bare value as far as the audit can tell, so it is redacted
 * whole unless it is itself a listed name (`?debug` with `debug` listed).
 */
export function redactQuery(path: string, query: string, keep: readonly string[]): string {
  if (query === "") return path;
  const parts = query.split("&").map((pair) => {
    if (pair === "") return pair;
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {
      // keep the raw name
    }
    if (keep.includes(decoded)) return pair;
    return eq < 0 ? "[redacted]" : `${name}=[redacted]`;
  });
  return `${path}?${parts.join("&")}`;
}
