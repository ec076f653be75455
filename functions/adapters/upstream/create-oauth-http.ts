import type { Dispatcher } from "undici";
import { OAuthNetworkError, type OAuthHttp } from "../../ports/oauth-http.ts";
import { createGuardedAgent } from "./ssrf/create-guarded-agent.ts";
import type { Dialer } from "./ssrf/dialer.ts";
import type { Lookup } from "./ssrf/lookup.ts";
import { errorMessage } from "../../../schema/error-message.ts";

/** Network options of every call to a provider (token, identity, revocation). */
export interface OAuthNetworkOptions {
  /** Resolver (tests inject one). */
  lookup?: Lookup;
  /** Socket opener (tests inject a recording one). */
  dial?: Dialer;
  /** Private CIDRs the provider calls may reach; tests only (a loopback authorization server). @default [] */
  unsafeAllowPrivate?: string[];
  /** Per-call timeout, from sending to the end of the body. @default 10000 */
  timeoutMs?: number;
}

const MAX_BODY_BYTES = 256 * 1024;

/**
 * The HTTP client of the OAuth module: one guarded undici agent (the same guard as upstream
 * calls, so authorize, token, identity and revocation hosts pass the same address rules), never
 * the global dispatcher, redirects not followed, bodies capped so a hostile server cannot make us
 * buffer without end.
 */
export function createOAuthHttp(options: OAuthNetworkOptions = {}): OAuthHttp {
  const agent = createGuardedAgent({
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.dial ? { dial: options.dial } : {}),
    allow: options.unsafeAllowPrivate ?? [],
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(url, init) {
      const target = new URL(url);
      if (target.protocol !== "https:" && target.protocol !== "http:") throw new OAuthNetworkError(`refusing ${target.protocol} URL`);
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const response = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: init.method as Dispatcher.HttpMethod,
          headers: init.headers,
          body: init.body ?? null,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).byteLength;
          if (size > MAX_BODY_BYTES) {
            response.body.destroy();
            throw new OAuthNetworkError(`the reply from ${target.host} is larger than ${MAX_BODY_BYTES} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
        return { status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") };
      } catch (error) {
        if (error instanceof OAuthNetworkError) throw error;
        const code = (error as { code?: unknown } | null)?.code;
        const why = signal.aborted ? "timed out" : `${typeof code === "string" ? `${code}: ` : ""}${errorMessage(error)}`;
        throw new OAuthNetworkError(`${init.method} ${target.host}${target.pathname} failed: ${why}`);
      }
    },
    close: () => agent.close(),
  };
}
