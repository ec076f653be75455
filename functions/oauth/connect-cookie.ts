import type { HeaderMap } from "../ports/http-types.ts";

/** Name of the cookie that binds a connect flow to the browser that started it. */
export const CONNECT_COOKIE = "gatehouse_connect";

/** Name of the cookie that pairs the confirm page's form with the browser it was shown to. */
export const CONFIRM_COOKIE = "gatehouse_confirm";

/**
 * The Set-Cookie of a connect flow: scoped to the connection's OAuth path, HttpOnly, SameSite=Lax
 * (the provider's redirect back is a top-level GET, which Lax lets through), Secure on https.
 */
export function connectCookie(value: string, path: string, secure: boolean, maxAgeSeconds: number): string {
  return `${CONNECT_COOKIE}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * The Set-Cookie of the confirm step: SameSite=Strict, so a POST from any other site arrives
 * without it (the confirm POST comes from our own page, which Strict lets through).
 */
export function confirmCookie(value: string, path: string, secure: boolean, maxAgeSeconds: number): string {
  return `${CONFIRM_COOKIE}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** Reads the connect cookie from a request's headers; undefined when absent. */
export function readConnectCookie(headers: HeaderMap): string | undefined {
  return readCookie(headers, CONNECT_COOKIE);
}

/** Reads one cookie by name from a request's headers; undefined when absent. */
export function readCookie(headers: HeaderMap, name: string): string | undefined {
  const raw = headers.cookie;
  const text = Array.isArray(raw) ? raw.join("; ") : (raw ?? "");
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
