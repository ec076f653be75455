import { classifyTokenError, type TokenFailure } from "./classify-token-error.ts";
import { OAuthNetworkError, type OAuthHttp, type OAuthHttpResponse } from "../ports/oauth-http.ts";
import type { ProviderPreset } from "./provider-preset.ts";

/** A token endpoint's answer: the parsed success body, or a classified failure. */
export type TokenReply = { ok: true; body: Record<string, unknown>; sentAt: number } | { ok: false; failure: TokenFailure };

/** The OAuth client, secret included; lives only for the call. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Sends one token request the way the provider wants it (client authentication method, form or
 * JSON body, extra headers, always `Accept: application/json`) and reads the answer by the
 * provider's rules: an `error` member (even with HTTP 200, as GitHub does), Slack's `ok:false`,
 * Notion's `object:"error"` envelope. Never throws for provider or network failures.
 */
export async function callTokenEndpoint(
  http: OAuthHttp,
  preset: ProviderPreset,
  client: ClientCredentials,
  params: Record<string, string>,
  now: () => number,
): Promise<TokenReply> {
  const fields: Record<string, string> = { ...params };
  const headers: Record<string, string> = { accept: "application/json", ...preset.tokenHeaders };
  if (preset.tokenAuth === "client_secret_basic") {
    const encode = preset.formEncodeBasic ? formEncode : (value: string) => value;
    headers.authorization = `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString("base64")}`;
  } else {
    fields.client_id = client.clientId;
    fields.client_secret = client.clientSecret;
  }
  let body: string;
  if (preset.bodyFormat === "json") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(fields);
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(fields).toString();
  }
  // The expiry counts from when the request left, not when the answer came back.
  const sentAt = now();
  let response: OAuthHttpResponse;
  try {
    response = await http.send(preset.tokenUrl, { method: "POST", headers, body });
  } catch (error) {
    const message = error instanceof OAuthNetworkError ? error.message : "the token request failed";
    return { ok: false, failure: { class: "transient", code: "network", message, status: null, retryAfterMs: null } };
  }
  return readTokenReply(preset, response, sentAt);
}

/** Reads a token endpoint's answer by the preset's error shape. */
export function readTokenReply(preset: ProviderPreset, response: OAuthHttpResponse, sentAt: number): TokenReply {
  const body = parseBody(response.text);
  const retryAfterMs = retryAfter(response, body);
  const fail = (code: string, description: string): TokenReply => ({
    ok: false,
    failure: {
      class: classifyTokenError({ status: response.status, code, description }),
      code,
      message: `${preset.provider} token endpoint answered ${response.status} ${code}${description ? `: ${description.slice(0, 200)}` : ""}`,
      status: response.status,
      retryAfterMs,
    },
  });
  if (body && preset.errorShape === "slack" && body.ok === false) return fail(text(body.error) || "slack_error", "");
  if (body && preset.errorShape === "notion" && body.object === "error") return fail(text(body.code) || `http_${response.status}`, text(body.message));
  if (body && typeof body.error === "string") return fail(body.error, text(body.error_description));
  if (response.status >= 400 || response.status < 200) return fail(`http_${response.status}`, "");
  if (!body) return fail("unexpected_reply", "the reply is neither JSON nor form-encoded");
  return { ok: true, body, sentAt };
}

/** JSON, or the form-encoded body GitHub sends when it ignores `Accept`; never sniffed by header. */
function parseBody(raw: string): Record<string, unknown> | null {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (/^[\w.%+-]+=[^&]*(&[\w.%+-]+=[^&]*)*$/.test(trimmed)) return Object.fromEntries(new URLSearchParams(trimmed));
  return null;
}

function retryAfter(response: OAuthHttpResponse, body: Record<string, unknown> | null): number | null {
  const header = response.headers["retry-after"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  if (body && typeof body.retry_after === "number") return Math.round(body.retry_after * 1000);
  return null;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** application/x-www-form-urlencoded for one value (RFC 6749 §2.3.1, Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
