import { Agent } from "../undici-parts.ts";
import { skipUnsolicitedContinue } from "../skip-unsolicited-continue.ts";
import { createGuardedConnector, type GuardOptions } from "./create-guarded-connector.ts";

/** Options for `createGuardedAgent`: the guard's, plus pooling. */
export interface GuardedAgentOptions extends GuardOptions {
  /** Idle keep-alive socket lifetime in milliseconds; default 4000 (undici's). */
  keepAliveTimeoutMs?: number;
  /** Most sockets per origin; default unlimited (undici's). */
  connections?: number;
}

/**
 * The upstream dispatcher: an undici `Agent` with keep-alive pooling whose every new socket
 * goes through the guarded connector. Pass it as `dispatcher` on every upstream call; never
 * rely on the global dispatcher. It deliberately is not an `EnvHttpProxyAgent` and reads no
 * HTTP(S)_PROXY / NO_PROXY variables: behind a proxy the guard would check the proxy's address,
 * not the target's. No redirect interceptor is composed: redirects are relayed, not followed.
 */
export function createGuardedAgent(options: GuardedAgentOptions = {}): Agent {
  return new Agent({
    connect: skipUnsolicitedContinue(createGuardedConnector(options)),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4000,
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
  });
}
