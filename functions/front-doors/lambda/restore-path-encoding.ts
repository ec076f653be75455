/**
 * What the API door makes of `rawPath`: the path to forward, or why it cannot be forwarded.
 */
export type RestoredPath = { ok: true; path: string } | { ok: false; reason: string };

/** Characters that can never appear literally in an encoded request path (RFC 3986 §3.3 and the request line). */
const NEVER_LITERAL = new Set([" ", '"', "#", "<", ">", "?", "\\", "^", "`", "{", "|", "}"]);

/**
 * API Gateway HTTP APIs hand the function `rawPath` (and `requestContext.http.path`)
 * percent-DECODED, despite the name and the documentation; Lambda Function URLs hand it over as
 * the client encoded it. Reported with live events in honojs/hono #2156 (`%40id%2Fassets%2F…%23`
 * arrives as `@id/assets/…#`), fastify/aws-lambda-fastify #169 (`/a%2Fb` arrives as `/a/b`),
 * middleapi/standard-server #93 and the captures it cites in hotsock/voker #8, Worklytics/psoxy #827.
 *
 * So the client's encoding is rebuilt where it is certain: a character that can never stand
 * literally in an encoded path (space, `?`, `#`, `"`, `<`, `>`, `\`, `^`, backquote, braces, `|`,
 * a control character, anything non-ASCII) must have arrived percent-encoded, and so must a `%`
 * that does not start a `%XX` escape; those are encoded again (UTF-8). Everything else is left as
 * it is. Where the original is unknowable the answer is a reason instead:
 * - a `%XX` sequence: the client sent `%25XX` (then decoded once) or `%XX` (were it not decoded),
 *   two different resources;
 * - U+FFFD (or a lone surrogate): it may stand for percent-escapes that were not valid UTF-8, whose bytes are lost.
 * One loss cannot be seen at all: a `/` may have been `%2F` (and a reserved character such as
 * `;`, `,`, `=`, `+` its escape); those are forwarded as they are, which the README states.
 */
export function restoreApiGatewayPath(decoded: string): RestoredPath {
  let out = "";
  const chars = [...decoded];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const code = c.codePointAt(0)!;
    if (c === "%") {
      if (/^[0-9A-Fa-f]{2}$/.test(`${chars[i + 1] ?? ""}${chars[i + 2] ?? ""}`)) {
        return {
          ok: false,
          reason: `the path holds '%${chars[i + 1]}${chars[i + 2]}' after API Gateway decoded it, so the client sent either '%25${chars[i + 1]}${chars[i + 2]}' or '%${chars[i + 1]}${chars[i + 2]}'`,
        };
      }
      out += "%25";
    } else if (code === 0xfffd || (code >= 0xd800 && code <= 0xdfff)) {
      return { ok: false, reason: "the path holds U+FFFD after API Gateway decoded it, which may stand for percent-escapes that were not valid UTF-8" };
    } else if (code < 0x21 || code === 0x7f || code > 0x7e || NEVER_LITERAL.has(c)) {
      out += encodeURIComponent(c);
    } else {
      out += c;
    }
  }
  return { ok: true, path: out };
}
