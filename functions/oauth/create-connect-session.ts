import { createHash, randomBytes } from "node:crypto";
import type { ConnectionStore } from "../ports/connection-store.ts";

/** What `createConnectSession` needs. */
export interface ConnectSessionRequest {
  gatewayId: string;
  connection: string;
  /** The gateway's public base URL, e.g. `http://127.0.0.1:8787` or the API's URL. */
  baseUrl: string;
  now: number;
  /** @default 600000 (10 minutes) */
  ttlMs?: number;
}

/** An issued session: the start URL (shown once) and when it stops working. */
export interface IssuedConnectSession {
  url: string;
  expiresAt: number;
}

/** Default lifetime of a connect session. */
export const CONNECT_SESSION_TTL_MS = 10 * 60_000;

/**
 * Issues a one-time connect session (what `gatehouse connect` does): 256 random bits in the
 * start URL, only their SHA-256 stored, short-lived, usable once. Without one nobody can start a
 * connection. The start route refuses connections its gateway does not define.
 */
export async function createConnectSession(store: ConnectionStore, request: ConnectSessionRequest): Promise<IssuedConnectSession> {
  const { gatewayId, connection } = request;
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(connection)) throw new Error(`'${connection}' is not a connection name`);
  const baseUrl = normaliseBaseUrl(request.baseUrl);
  const id = randomBytes(32).toString("base64url");
  const expiresAt = request.now + (request.ttlMs ?? CONNECT_SESSION_TTL_MS);
  await store.createSession({
    idHash: sha256Hex(id),
    gatewayId,
    connection,
    baseUrl,
    createdAt: request.now,
    expiresAt,
    stage: "issued",
  });
  return { url: `${baseUrl}/api/${gatewayId}/oauth/${connection}/start?session=${id}`, expiresAt };
}

/** An http(s) base URL without query, fragment, credentials or trailing slash. */
export function normaliseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`the base URL '${text}' is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("the base URL must be http(s)");
  if (url.username || url.password || url.search || url.hash) throw new Error("the base URL must not carry credentials, a query or a fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** SHA-256 as lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
