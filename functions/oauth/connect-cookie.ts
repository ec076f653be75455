import type { HeaderMap } from "../ports/http-types.ts";

/** Name of the cookie that binds a connect flow to the browser that started it. */
export const CONNECT_COOKIE = "gatehouse_connect";

/**
 * The Set-Cookie of a connect flow: scoped to the connection's OAuth path, HttpOnly, SameSite=Lax
 * (the provider's redirect back is a top-level GET, which Lax lets through), Secure on https.
 */
export function connectCookie(value: string, path: string, secure: boolean, maxAgeSeconds: number): string {
  return `${CONNECT_COOKIE}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** Reads the connect cookie from a request's headers; undefined when absent. */
export function readConnectCookie(headers: HeaderMap): string | undefined {
  const raw = headers.cookie;
  const text = Array.isArray(raw) ? raw.join("; ") : (raw ?? "");
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === CONNECT_COOKIE) return part.slice(at + 1).trim();
  }
  return undefined;
}
