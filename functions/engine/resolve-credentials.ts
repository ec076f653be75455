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

/** What the gateway adds upstream for one request, and the secret values among it (the response is scrubbed of them). */
export interface Credentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  /** The connection's access token, when the endpoint has a connection. */
  readonly bearer?: string;
}

/**
 * Each endpoint's injected headers, rendered once per engine. A secret source reveals the same
 * value for its whole life (sealed at start-up locally, decrypted once per cold start on AWS; a
 * changed secret means a new engine), and the endpoint's scrubber holds the values anyway, so
 * rendering them again per request bought nothing and cost an AES-GCM open and three awaits.
 * Only a success is kept: a secret that could not be had is asked for again by the next request.
 */
export class InjectedHeaders {
  private readonly rendered = new WeakMap<Endpoint, Credentials>();

  /** The endpoint's injected headers if they are rendered already, else undefined. */
  known(endpoint: Endpoint): Credentials | undefined {
    return this.rendered.get(endpoint);
  }

  /** The endpoint's injected headers, rendered now if they were not yet. */
  async render(gatewayId: string, endpoint: Endpoint, secrets: SecretSource): Promise<Credentials | { problem: string }> {
    const known = this.rendered.get(endpoint);
    if (known) return known;
    const headers: Record<string, string> = {};
    // Values the client must never see again (the response is scrubbed of them); literals are not secret.
    const held: string[] = [];
    for (const [name, value] of Object.entries(endpoint.headers.inject)) {
      const result = await renderInjected(gatewayId, value, secrets);
      if (!result.ok) return { problem: result.problem };
      headers[name] = result.value;
      for (const secret of result.secrets) held.push(secret);
    }
    const credentials: Credentials = Object.freeze({ headers: Object.freeze(headers), secrets: Object.freeze(held) });
    this.rendered.set(endpoint, credentials);
    return credentials;
  }
}

/**
 * The headers the gateway adds upstream: injected literals, secrets (prefixed or as Basic
 * credentials) and the connection's bearer token, and the secret values among them. Anything
 * that cannot be had refuses the request (nothing is forwarded).
 */
export function resolveCredentials(
  gateway: Gateway,
  endpoint: Endpoint,
  ports: { secrets: SecretSource; connections?: ConnectionTokens | undefined },
  injected: InjectedHeaders,
  rejectedBearer?: string,
): CredentialsVerdict | Promise<CredentialsVerdict> {
  // An endpoint without a connection whose headers are rendered (every request after its first) needs no promise.
  const known = endpoint.connection === undefined ? injected.known(endpoint) : undefined;
  if (known !== undefined) return { ok: true, headers: known.headers, secrets: known.secrets };
  return resolveAsync(gateway, endpoint, ports, injected, rejectedBearer);
}

/** The credentials of a request, or the refusal when something cannot be had. */
export type CredentialsVerdict = ({ ok: true } & Credentials) | { ok: false; refusal: Refusal };

async function resolveAsync(
  gateway: Gateway,
  endpoint: Endpoint,
  ports: { secrets: SecretSource; connections?: ConnectionTokens | undefined },
  injected: InjectedHeaders,
  rejectedBearer: string | undefined,
): Promise<CredentialsVerdict> {
  const base = await injected.render(gateway.id, endpoint, ports.secrets);
  if ("problem" in base) return { ok: false, refusal: refuse("SECRET_UNAVAILABLE", base.problem) };
  if (endpoint.connection === undefined) return { ok: true, headers: base.headers, secrets: base.secrets };
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
  return {
    ok: true,
    headers: { ...base.headers, authorization: `Bearer ${result.token}` },
    secrets: [...base.secrets, result.token],
    bearer: result.token,
  };
}
