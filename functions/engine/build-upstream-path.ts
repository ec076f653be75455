import type { Endpoint } from "../../schema/gateway.ts";
import { hasDotSegment } from "./has-dot-segment.ts";
import { endpointPlan } from "./endpoint-plan.ts";
import { refuse, refused, type StepResult } from "./outcome.ts";

const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
/**
 * Tails the WHATWG path parser changes only by percent-encoding: printable ASCII without
 * backslash, `?` and `#`. (It strips tabs and newlines, which could join `.<TAB>.` into `..`,
 * and `?` or `#` would end the path early, exposing a `..` before them; dot segments themselves
 * are refused before this is used.)
 */
const PLAIN_TAIL = /^[\x21\x22\x24-\x3e\x40-\x5b\x5d-\x7e]*$/;

/**
 * The upstream origin and raw path for a request's tail: the tail goes below the endpoint's
 * upstream path byte for byte. Refused (400): dot segments (plain, encoded or double-encoded,
 * split on `/`, `\\` and `;`, climbing or not: no API needs them and the upstream's
 * normalisation is unknown), backslashes (WHATWG
 * URL turns them into `/`), malformed percent-escapes and encoded NUL. A tail on an endpoint
 * that does not forward paths has no route (404).
 */
export function buildUpstreamPath(endpoint: Endpoint, tail: string, query: string): StepResult<{ origin: string; path: string }> {
  const { origin, base } = endpointPlan(endpoint);
  if (!endpoint.forwardPath && tail !== "" && tail !== "/") {
    return refused(refuse("ROUTE_NOT_FOUND", "this endpoint does not forward path tails"));
  }
  const effectiveTail = endpoint.forwardPath ? tail : "";
  if (effectiveTail.includes("\\")) return refused(refuse("BAD_PATH", "backslash in path"));
  // A raw `#` cannot be in a request target (RFC 9112 §3.2); an upstream would cut the path there.
  if (effectiveTail.includes("#")) return refused(refuse("BAD_PATH", "raw # in path"));
  if (effectiveTail.includes("%") && (BAD_PERCENT.test(effectiveTail) || effectiveTail.includes("%00"))) {
    return refused(refuse("BAD_PATH", "malformed percent-encoding in path"));
  }
  if (hasDotSegment(effectiveTail)) return refused(refuse("BAD_PATH", "dot segment in path (plain, encoded or double-encoded)"));
  let path = `${base}${effectiveTail}` || "/";
  if (!path.startsWith("/")) path = `/${path}`;
  // Defence in depth: whatever the tail was, the result must still sit under the upstream path.
  // For a plain tail not starting a scheme-relative `//host`, the parser can only percent-encode,
  // so the check holds by construction; anything else is parsed for real.
  if (path.startsWith("//") || !PLAIN_TAIL.test(effectiveTail)) {
    const resolved = new URL(path, origin);
    if (resolved.origin !== origin || !resolved.pathname.startsWith(base)) {
      return refused(refuse("BAD_PATH", "path escapes the upstream"));
    }
  }
  if (endpoint.forwardQuery && query !== "") {
    if (BAD_PERCENT.test(query)) return refused(refuse("BAD_PATH", "malformed percent-encoding in query"));
    if (query.includes("%00")) return refused(refuse("BAD_PATH", "encoded NUL in query"));
    if (query.includes("#")) return refused(refuse("BAD_PATH", "raw # in query"));
    path += `?${query}`;
  }
  return { ok: true, origin, path };
}
