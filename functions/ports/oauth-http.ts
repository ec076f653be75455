/**
 * OAuthHttp: how the OAuth module talks to providers (token, identity, revocation endpoints).
 * Contract: `send` answers with the whole body as text or throws {@link OAuthNetworkError} when
 * there was no HTTP answer (refused by the SSRF guard, unreachable, timed out, too large).
 */

/** A provider's answer, body read whole (bounded). */
export interface OAuthHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A call that produced no HTTP answer: refused by the guard, unreachable, timed out. */
export class OAuthNetworkError extends Error {
  override name = "OAuthNetworkError";
}

/** Sends provider requests through the SSRF guard. */
export interface OAuthHttp {
  send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<OAuthHttpResponse>;
  close(): Promise<void>;
}
