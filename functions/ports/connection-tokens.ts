import type { Gateway } from "../../schema/gateway.ts";

/**
 * ConnectionTokens: the access token of an OAuth connection, fresh enough to use.
 *
 * Contract:
 * - `accessToken` resolves to `{ ok: true, token }`, refreshing first when the stored token is
 *   expired or about to be (implementations de-duplicate concurrent refreshes).
 * - With `rejected` set (the upstream answered 401 to that token), it refreshes unless another
 *   caller already replaced that token, and returns the newer one.
 * - A connection that cannot give a token is a normal result `{ ok: false, ... }`:
 *   `not_connected`, `needs_reauthorization` (the grant is dead), `misconfigured` (the client
 *   credentials are wrong), `unavailable` (store or provider down; transient).
 * - It never rejects for those; a rejection is treated as `unavailable`.
 */
export interface ConnectionTokens {
  accessToken(gateway: Gateway, connection: string, options?: { rejected?: string }): Promise<ConnectionTokenResult>;
  /**
   * For providers that refuse a token inside a successful answer (Slack: HTTP 200
   * `{"ok":false,"error":"token_expired"}`), how to recognise it; null or absent for the others,
   * whose refusal is a 401.
   */
  rejectedTokenSignal?(gateway: Gateway, connection: string): RejectedTokenSignal | null;
}

/**
 * A refusal of the bearer hidden in an HTTP 200 JSON answer. The engine reads at most
 * `maxBytes` of a 200 whose content type is JSON (and not compressed) and asks `matches`; any
 * other answer, or a longer body, streams on untouched.
 */
export interface RejectedTokenSignal {
  maxBytes: number;
  matches(body: Uint8Array): boolean;
}

/** The outcome of asking for a connection's token. */
export type ConnectionTokenResult =
  | { ok: true; token: string }
  | { ok: false; status: "not_connected" | "needs_reauthorization" | "misconfigured" | "unavailable"; message: string };
