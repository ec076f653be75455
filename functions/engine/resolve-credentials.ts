import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import type { ConnectionTokens } from "../ports/connection-tokens.ts";
import type { SecretSource } from "../ports/secret-box.ts";
import { renderInjected } from "./render-injected.ts";
import { refuse, type OutcomeCode, type Refusal } from "./outcome.ts";

const CONNECTION_REFUSALS: Record<string, OutcomeCode> = {
  not_connected: "CONNECTION_NOT_CONNECTED",
  needs_reauthorization: "CONNECTION_NEEDS_REAUTHORIZATION",
  misconfigured: "CONNECTION_MISCONFIGURED",
  unavailable: "STORE_UNAVAILABLE",
};

/**
 * The headers the gateway adds upstream: injected literals, secrets (prefixed or as Basic
 * credentials) and the connection's bearer token, and the secret values among them. Anything
 * that cannot be had refuses the request (nothing is forwarded).
 */
export async function resolveCredentials(
  gateway: Gateway,
  endpoint: Endpoint,
  ports: { secrets: SecretSource; connections?: ConnectionTokens | undefined },
  rejectedBearer?: string,
): Promise<{ ok: true; headers: Record<string, string>; secrets: string[]; bearer?: string } | { ok: false; refusal: Refusal }> {
  const headers: Record<string, string> = {};
  // Values the client must never see again (the response is scrubbed of them); literals are not secret.
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(endpoint.headers.inject)) {
    const rendered = await renderInjected(gateway.id, value, ports.secrets);
    if (!rendered.ok) return { ok: false, refusal: refuse("SECRET_UNAVAILABLE", rendered.problem) };
    headers[name] = rendered.value;
    for (const held of rendered.secrets) secrets.push(held);
  }
  if (endpoint.connection === undefined) return { ok: true, headers, secrets };
  if (!ports.connections) {
    return { ok: false, refusal: refuse("CONNECTION_NOT_CONNECTED", "no connection store is configured") };
  }
  let result;
  try {
    result = await ports.connections.accessToken(gateway, endpoint.connection, rejectedBearer ? { rejected: rejectedBearer } : {});
  } catch {
    result = { ok: false as const, status: "unavailable" as const, message: "connection store failed" };
  }
  if (!result.ok) {
    const code = CONNECTION_REFUSALS[result.status] ?? "STORE_UNAVAILABLE";
    return {
      ok: false,
      refusal: refuse(code, result.message, {
        extra: {
          connection: endpoint.connection,
          ...(result.status === "needs_reauthorization" || result.status === "not_connected"
            ? { reconnect: `gatehouse connect ${gateway.name} ${endpoint.connection}` }
            : {}),
        },
      }),
    };
  }
  headers.authorization = `Bearer ${result.token}`;
  secrets.push(result.token);
  return { ok: true, headers, secrets, bearer: result.token };
}
