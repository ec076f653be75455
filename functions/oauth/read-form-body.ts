import type { Body, HeaderMap } from "../ports/http-types.ts";

/** The most a confirm form may send; ours sends about 60 bytes. */
export const MAX_FORM_BYTES = 4096;

/**
 * Reads an `application/x-www-form-urlencoded` request body of at most `maxBytes` bytes. Null
 * when the content type is not a form or the body is larger (reading stops there): the caller
 * refuses the request.
 */
export async function readFormBody(headers: HeaderMap, body: Body, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams | null> {
  const type = headers["content-type"];
  const mediaType = (Array.isArray(type) ? type[0] : type)?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") return null;
  if (body === null) return new URLSearchParams();
  if (body instanceof Uint8Array) return body.byteLength > maxBytes ? null : new URLSearchParams(Buffer.from(body).toString("utf8"));
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
