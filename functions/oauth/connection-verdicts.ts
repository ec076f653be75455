import type { Gateway } from "../../schema/gateway.ts";
import type { ConnectionError } from "../ports/connection-store.ts";
import type { ConnectionTokenResult } from "../ports/connection-tokens.ts";

/** What an access-token request answers: the token, or why there is none (see the port). */
export type Verdict = ConnectionTokenResult;

function reconnectHint(gateway: Gateway, name: string): string {
  return `an operator reconnects it with: gatehouse connect ${gateway.name} ${name}`;
}

/** The connection was never connected (or was disconnected). */
export function notConnected(gateway: Gateway, name: string): Verdict {
  return { ok: false, status: "not_connected", message: `connection '${name}' is not connected; ${reconnectHint(gateway, name)}` };
}

/** The grant is dead: only an operator reconnecting helps. */
export function needsReauthorization(gateway: Gateway, name: string, error: ConnectionError | null): Verdict {
  return {
    ok: false,
    status: "needs_reauthorization",
    message: `connection '${name}' needs re-authorization${error ? ` (${error.code})` : ""}; ${reconnectHint(gateway, name)}`,
  };
}

/** The provider refused our OAuth client (its id or secret). */
export function misconfigured(name: string, error: ConnectionError | null): Verdict {
  return { ok: false, status: "misconfigured", message: `connection '${name}': the provider refused the OAuth client${error ? ` (${error.code})` : ""}` };
}

/** No usable token right now (store, provider or another process in the way). */
export function unavailable(text: string): Verdict {
  return { ok: false, status: "unavailable", message: text };
}
