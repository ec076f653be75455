import type { Endpoint, Gateway } from "../../schema/gateway.ts";
import { headerValueProblem } from "../../schema/headers.ts";
import type { ConnectionTokens } from "../ports/connection-tokens.ts";
import type { SecretSource } from "../ports/secret-box.ts";
import { refuse, type OutcomeCode, type Refusal } from "./outcome.ts";

const CONNECTION_REFUSALS: Record<string, OutcomeCode> = {
  not_connected: "CONNECTION_NOT_CONNECTED",
  needs_reauthorization: "CONNECTION_NEEDS_REAUTHORIZATION",
  misconfigured: "CONNECTION_MISCONFIGURED",
  unavailable: "STORE_UNAVAILABLE",
};

/**
 * The headers the gateway adds upstream: injected literals and secrets, and the connection's
 * bearer token, and the secret values among them. Anything that cannot be had refuses the
 * request (nothing is forwarded).
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
    if (typeof value === "string") {
      headers[name] = value;
      continue;
    }
    try {
      headers[name] = await ports.secrets.reveal(gateway.id, value.name);
      secrets.push(headers[name]);
    } catch {
      return { ok: false, refusal: refuse("SECRET_UNAVAILABLE", `secret ${value.name} could not be revealed`) };
    }
    const problem = headerValueProblem(headers[name]);
    if (problem) return { ok: false, refusal: refuse("SECRET_UNAVAILABLE", `secret ${value.name} ${problem}`) };
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
